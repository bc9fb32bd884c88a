using System.Text;

namespace Grove.Tree.Internal;

/// <summary>
/// Matches <c>*</c> (any run) and <c>?</c> (one character) wildcards over code points, like SQLite GLOB and
/// PostgreSQL LIKE on UTF-8 text. Every other character, <c>[</c> and <c>\</c> included, is literal.
/// </summary>
internal static class WildcardMatcher
{
    /// <summary>True when the whole text matches the pattern.</summary>
    public static bool IsMatch(string pattern, string text) => IsMatch(Runes(pattern), Runes(text));

    /// <summary>A matcher for one pattern, decoded once.</summary>
    public static Func<string, bool> Compile(string pattern)
    {
        var p = Runes(pattern);
        return text => IsMatch(p, Runes(text));
    }

    private static int[] Runes(string s)
    {
        var list = new List<int>(s.Length);
        foreach (var r in s.EnumerateRunes())
        {
            list.Add(r.Value);
        }

        return [.. list];
    }

    // Greedy match with one backtrack point per '*': linear in practice, O(n*m) at worst.
    private static bool IsMatch(int[] p, int[] t)
    {
        int pi = 0, ti = 0, star = -1, mark = 0;
        while (ti < t.Length)
        {
            if (pi < p.Length && (p[pi] == '?' || (p[pi] != '*' && p[pi] == t[ti])))
            {
                pi++;
                ti++;
            }
            else if (pi < p.Length && p[pi] == '*')
            {
                star = pi++;
                mark = ti;
            }
            else if (star >= 0)
            {
                pi = star + 1;
                ti = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (pi < p.Length && p[pi] == '*')
        {
            pi++;
        }

        return pi == p.Length;
    }

    /// <summary>The SQLite GLOB pattern: <c>[</c> becomes <c>[[]</c> (GLOB's only other special character).</summary>
    public static string ToGlob(string pattern) => pattern.Replace("[", "[[]", StringComparison.Ordinal);

    /// <summary>The PostgreSQL LIKE pattern for <c>ESCAPE '\'</c>.</summary>
    public static string ToLike(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 8);
        foreach (var ch in pattern)
        {
            sb.Append(ch switch
            {
                '*' => "%",
                '?' => "_",
                '%' => "\\%",
                '_' => "\\_",
                '\\' => "\\\\",
                _ => ch.ToString(),
            });
        }

        return sb.ToString();
    }
}
