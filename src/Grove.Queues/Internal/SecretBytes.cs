using System.Security.Cryptography;

namespace Grove.Queues.Internal;

/// <summary>
/// Cryptographically random bytes for claim secrets, drawn from the system's generator 4 KiB at a time per thread and
/// each handed out once.
/// </summary>
/// <remarks>
/// Note that each draw from the generator is an OpenSSL call with its locks and a <c>getpid</c> (its fork check):
/// OpenSSL was 6–8% of the bench process's CPU at 16 consumers of a Redis queue, three draws and a hash per message.
/// </remarks>
internal static class SecretBytes
{
    private const int Size = 4096;

    [ThreadStatic]
    private static byte[]? _buffer;

    [ThreadStatic]
    private static int _used;

    /// <summary><paramref name="count"/> random bytes (at most 64) as lower-case hex.</summary>
    public static string Hex(int count)
    {
        if (_buffer is null || _used + count > Size)
        {
            _buffer ??= new byte[Size];
            RandomNumberGenerator.Fill(_buffer);
            _used = 0;
        }

        var hex = Convert.ToHexStringLower(_buffer, _used, count);
        _buffer.AsSpan(_used, count).Clear();
        _used += count;
        return hex;
    }
}
