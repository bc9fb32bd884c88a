using System.Globalization;
using System.Security.Cryptography;

namespace Grove.Logs.Internal;

/// <summary>
/// Task ids are ULIDs in lower case: 10 base-32 characters of the creation time in milliseconds, then 16 of
/// randomness (80 bits). They sort by creation time, and the archive path is computed from the id alone.
/// </summary>
internal static class TaskIds
{
    public const int Length = 26;
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    private static readonly Lock Gate = new();
    private static string? _last;

    /// <summary>
    /// A new id for a task created at <paramref name="nowMs"/>. Ids made in this process only grow (a monotonic ULID):
    /// within one millisecond, or when the clock steps back, the next id is the previous one plus one, so tasks
    /// created in a burst still list in the order they were made.
    /// </summary>
    public static string New(long nowMs)
    {
        Span<char> chars = stackalloc char[Length];
        var time = (ulong)nowMs;
        for (var i = 9; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(time & 31)];
            time >>= 5;
        }

        Span<byte> random = stackalloc byte[Length - 10];
        RandomNumberGenerator.Fill(random);
        for (var i = 10; i < Length; i++)
        {
            chars[i] = Alphabet[random[i - 10] & 31];
        }

        lock (Gate)
        {
            if (_last is { } last && chars[..10].SequenceCompareTo(last.AsSpan(0, 10)) <= 0)
            {
                last.AsSpan().CopyTo(chars);
                Increment(chars);
            }

            return _last = new string(chars);
        }
    }

    /// <summary>Adds one to a base-32 id, carrying from the last character (80 random bits never run out in practice).</summary>
    private static void Increment(Span<char> chars)
    {
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            var digit = Alphabet.IndexOf(chars[i], StringComparison.Ordinal);
            if (digit < 31)
            {
                chars[i] = Alphabet[digit + 1];
                return;
            }

            chars[i] = Alphabet[0];
        }
    }

    public static bool IsValid(string? id)
    {
        if (id is null || id.Length != Length)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (Alphabet.IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The creation time encoded in a valid id.</summary>
    public static long CreatedAt(string id)
    {
        ulong time = 0;
        for (var i = 0; i < 10; i++)
        {
            time = (time << 5) | (uint)Alphabet.IndexOf(id[i], StringComparison.Ordinal);
        }

        return (long)time;
    }

    /// <summary>The tree path of a task's log object: <c>root/yyyy/MM/dd/id.log</c> by the id's creation day (UTC).</summary>
    public static string PathOf(string root, string id)
    {
        var day = DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt(id)).UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{root.TrimEnd('/')}/{day:yyyy}/{day:MM}/{day:dd}/{id}.log");
    }
}
