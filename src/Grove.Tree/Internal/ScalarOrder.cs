namespace Grove.Tree.Internal;

/// <summary>
/// The one order of plain values shared by the memory indexer and the SQL it mirrors: null first, then numbers
/// (numerically, long and double mixed), strings (by Unicode code point, which is UTF-8 byte order), booleans (false, true).
/// </summary>
internal static class ScalarOrder
{
    /// <summary>The kind of a normalized value (null, long, double, string or bool).</summary>
    public static ValueKind KindOf(object? value) => value switch
    {
        null => ValueKind.Null,
        long or double => ValueKind.Number,
        string => ValueKind.String,
        bool => ValueKind.Bool,
        _ => throw new ArgumentException($"not a plain value: {value.GetType().Name}", nameof(value)),
    };

    /// <summary>Compares two normalized values in the total order.</summary>
    public static int Compare(object? a, object? b)
    {
        var ka = KindOf(a);
        var kb = KindOf(b);
        return ka != kb ? ka.CompareTo(kb) : CompareSameKind(a, b);
    }

    /// <summary>Compares two values of the same kind.</summary>
    public static int CompareSameKind(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (string x, string y) => CompareStrings(x, y),
        (bool x, bool y) => x.CompareTo(y),
        _ => CompareNumbers(a!, b!),
    };

    /// <summary>Ordinal comparison by code point, so it agrees with SQLite BINARY and PostgreSQL <c>COLLATE "C"</c>.</summary>
    public static int CompareStrings(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            int x = a[i];
            int y = b[i];
            if (x == y)
            {
                continue;
            }

            // UTF-16 puts surrogates (D800-DFFF) below E000-FFFF; code point order puts them above.
            if (x >= 0xD800 && y >= 0xD800)
            {
                x = x >= 0xE000 ? x - 0x800 : x + 0x2000;
                y = y >= 0xE000 ? y - 0x800 : y + 0x2000;
            }

            return x < y ? -1 : 1;
        }

        return a.Length.CompareTo(b.Length);
    }

    /// <summary>Compares longs and doubles exactly (no rounding of large longs).</summary>
    public static int CompareNumbers(object a, object b) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (double x, long y) => CompareDoubleLong(x, y),
        (long x, double y) => -CompareDoubleLong(y, x),
        _ => throw new ArgumentException("not numbers"),
    };

    private static int CompareDoubleLong(double d, long l)
    {
        if (d < -9.2233720368547758E18)
        {
            return -1;
        }

        if (d >= 9.2233720368547758E18)
        {
            return 1;
        }

        var whole = Math.Truncate(d);
        var wl = (long)whole;
        return wl != l ? wl.CompareTo(l) : d.CompareTo(whole);
    }
}
