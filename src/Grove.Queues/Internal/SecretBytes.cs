using System.Globalization;
using System.Security.Cryptography;

namespace Grove.Queues.Internal;

/// <summary>
/// Cryptographically random bytes for claim secrets, message ids and generated message names, drawn from the system's
/// generator 4 KiB at a time per thread and each handed out once.
/// </summary>
/// <remarks>
/// Note that each draw from the generator is an OpenSSL call with its locks and a <c>getpid</c> (its fork check):
/// OpenSSL was 6–8% of the bench process's CPU at 16 consumers of a Redis queue, three draws and a hash per message.
/// </remarks>
internal static class SecretBytes
{
    private const int Size = 4096;

    private const string IdAlphabet = "0123456789abcdefghijklmnopqrstuv";

    [ThreadStatic]
    private static byte[]? _buffer;

    [ThreadStatic]
    private static int _used;

    /// <summary><paramref name="count"/> random bytes (at most 64) as lower-case hex.</summary>
    public static string Hex(int count)
    {
        var bytes = Take(count);
        var hex = Convert.ToHexStringLower(bytes);
        bytes.Clear();
        return hex;
    }

    /// <summary>A new object id of the shape <see cref="ObjectIds.New"/> makes (26 characters of its base-32 alphabet, 130 bits).</summary>
    public static string Id() => string.Create(ObjectIds.Length, 0, static (span, _) =>
    {
        var bytes = Take(ObjectIds.Length);
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = IdAlphabet[bytes[i] & 31];
        }

        bytes.Clear();
    });

    /// <summary>A message name made of <paramref name="now"/> (13 digits), a dash and 4 random bytes as hex: <c>1764900000000-1a2b3c4d</c>.</summary>
    public static string TimedName(long now) => string.Create(22, now, static (span, t) =>
    {
        t.TryFormat(span[..13], out _, "D13", CultureInfo.InvariantCulture);
        span[13] = '-';
        var bytes = Take(4);
        Convert.TryToHexStringLower(bytes, span[14..], out _);
        bytes.Clear();
    });

    private static Span<byte> Take(int count)
    {
        if (_buffer is null || _used + count > Size)
        {
            _buffer ??= new byte[Size];
            RandomNumberGenerator.Fill(_buffer);
            _used = 0;
        }

        var taken = _buffer.AsSpan(_used, count);
        _used += count;
        return taken;
    }
}
