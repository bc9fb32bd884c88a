using System.Globalization;
using Grove.Tree.Query;

namespace Grove.Tree.Internal;

/// <summary>
/// Parses range strings such as <c>[10,100)</c>, <c>(,5]</c> or <c>[2024-01-01,2024-02-01)</c>: <c>[</c>/<c>]</c>
/// include the bound, <c>(</c>/<c>)</c> exclude it, either bound may be empty. Bounds are numbers or ISO dates
/// and date-times (UTC unless an offset is given), which become ms since the Unix epoch.
/// </summary>
internal static class IntervalParser
{
    /// <summary>
    /// Null when <paramref name="s"/> is not shaped like a range (bracket, comma, bracket); the range as an
    /// <see cref="AndFilter"/> of comparisons when it is; throws <see cref="TreeErrorCode.InvalidFilter"/> when its bounds are bad.
    /// </summary>
    public static Filter? TryParse(string key, string s)
    {
        if (s.Length < 3 || s[0] is not ('[' or '(') || s[^1] is not (']' or ')') || !s.Contains(','))
        {
            return null;
        }

        var parts = s[1..^1].Split(',');
        if (parts.Length != 2)
        {
            throw Bad(key, s, "a range has exactly one comma");
        }

        var lo = Bound(key, s, parts[0]);
        var hi = Bound(key, s, parts[1]);
        if (lo is null && hi is null)
        {
            throw Bad(key, s, "a range needs at least one bound");
        }

        var items = new List<Filter>(2);
        if (lo is not null)
        {
            items.Add(new CompareFilter(key, s[0] == '[' ? CompareOp.Ge : CompareOp.Gt, lo));
        }

        if (hi is not null)
        {
            items.Add(new CompareFilter(key, s[^1] == ']' ? CompareOp.Le : CompareOp.Lt, hi));
        }

        return new AndFilter(items);
    }

    private static object? Bound(string key, string s, string text)
    {
        var t = text.Trim();
        if (t.Length == 0)
        {
            return null;
        }

        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return d;
        }

        if (LooksLikeDate(t) && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when))
        {
            return when.ToUnixTimeMilliseconds();
        }

        throw Bad(key, s, $"bound '{t}' is neither a number nor an ISO date");
    }

    private static bool LooksLikeDate(string t) => t.Length >= 10 && char.IsAsciiDigit(t[0]) && char.IsAsciiDigit(t[1])
        && char.IsAsciiDigit(t[2]) && char.IsAsciiDigit(t[3]) && t[4] == '-' && char.IsAsciiDigit(t[5])
        && char.IsAsciiDigit(t[6]) && t[7] == '-' && char.IsAsciiDigit(t[8]) && char.IsAsciiDigit(t[9])
        && (t.Length == 10 || t[10] is 'T' or 't' or ' ');

    private static TreeException Bad(string key, string s, string problem) =>
        FilterError.Key(key, $"bad range '{s}': {problem} (escape a literal value with a leading backslash)");
}
