using System.Text;

namespace Grove.Tree.Internal;

/// <summary>Turns a prefix into an ordinal range so SQL can use an index: <c>prefix &lt;= x &lt; Successor(prefix)</c>.</summary>
internal static class PrefixRange
{
    /// <summary>
    /// The least string, in code point order, above every string that starts with <paramref name="prefix"/>:
    /// the prefix with its last code point raised by one (dropping trailing U+10FFFF). Null when there is none
    /// (empty, or all U+10FFFF), and then the lower bound alone is exact.
    /// </summary>
    public static string? Successor(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        while (runes.Count > 0)
        {
            var last = runes[^1].Value;
            runes.RemoveAt(runes.Count - 1);
            if (last == 0x10FFFF)
            {
                continue;
            }

            // Skip the surrogate block, which holds no code points.
            runes.Add(new Rune(last == 0xD7FF ? 0xE000 : last + 1));
            var sb = new StringBuilder(prefix.Length + 1);
            foreach (var r in runes)
            {
                sb.Append(r.ToString());
            }

            return sb.ToString();
        }

        return null;
    }
}
