using System.Globalization;

namespace Grove.Records.Internal;

/// <summary>
/// A hot-cache key: the set's name and the row's key, a number when its key text is a canonical long (so a get by a
/// long key builds no string), else the key text (composite keys, text keys). The hash is computed once.
/// </summary>
internal readonly struct CacheKey : IEquatable<CacheKey>
{
    private const char SetSeparator = '\u001e';
    private readonly int _hash;

    public CacheKey(string set, long number)
        : this(set, set.GetHashCode(), number)
    {
    }

    /// <summary>The key of a row by a number, with the set name's hash already known (<see cref="CompiledSet.NameHash"/>).</summary>
    public CacheKey(string set, int setHash, long number)
    {
        Set = set;
        Number = number;
        Text = null;
        _hash = (setHash * -1521134295) ^ number.GetHashCode();
    }

    private CacheKey(string set, string text)
    {
        Set = set;
        Number = 0;
        Text = text;
        _hash = (set.GetHashCode() * -1521134295) ^ text.GetHashCode();
    }

    public string Set { get; }

    public long Number { get; }

    public string? Text { get; }

    /// <summary>The key of a set's row by its key text (<see cref="CompiledSet.KeyText"/>).</summary>
    public static CacheKey Of(string set, string keyText) =>
        TryCanonicalLong(keyText, out var n) ? new CacheKey(set, n) : new CacheKey(set, keyText);

    /// <summary>The key named by a bus message (<see cref="HotCache.Key"/>: set, separator, key text).</summary>
    public static CacheKey Parse(string message)
    {
        var at = message.IndexOf(SetSeparator, StringComparison.Ordinal);
        return at < 0 ? Of(message, "") : Of(message[..at], message[(at + 1)..]);
    }

    public bool Equals(CacheKey other) =>
        _hash == other._hash && Number == other.Number && string.Equals(Text, other.Text, StringComparison.Ordinal)
        && (ReferenceEquals(Set, other.Set) || string.Equals(Set, other.Set, StringComparison.Ordinal));

    public override bool Equals(object? obj) => obj is CacheKey other && Equals(other);

    public override int GetHashCode() => _hash;

    public override string ToString() => Set + SetSeparator + (Text ?? Number.ToString(CultureInfo.InvariantCulture));

    /// <summary>True when <paramref name="text"/> is a long in its one canonical decimal form ("7", not "007" or "+7").</summary>
    public static bool TryCanonicalLong(string text, out long value)
    {
        if (text.Length is 0 or > 20 || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            value = 0;
            return false;
        }

        // Note that "007" or "+7" name other rows than 7 for a text key: only the canonical form is a number.
        Span<char> buffer = stackalloc char[24];
        return value.TryFormat(buffer, out var n, default, CultureInfo.InvariantCulture) && buffer[..n].SequenceEqual(text);
    }
}
