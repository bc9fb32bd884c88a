using System.Globalization;
using System.Text;

namespace Grove.Config.Internal;

/// <summary>
/// A line diff (Myers' O(ND) algorithm, after trimming the common head and tail) printed in unified format with
/// three lines of context. Past <see cref="MaxEdits"/> differing lines the middle is shown as replaced whole, which
/// keeps time and memory bounded for unrelated versions.
/// </summary>
internal static class LineDiff
{
    private const int Context = 3;
    private const int MaxEdits = 2000;

    private enum Kind
    {
        Same,
        Removed,
        Added,
    }

    private readonly record struct Edit(Kind Kind, int A, int B);

    public static (string Unified, int Added, int Removed) Unified(string before, string after, string fromLabel, string toLabel)
    {
        var a = Lines(before);
        var b = Lines(after);
        var edits = Edits(a, b);
        var added = edits.Count(e => e.Kind == Kind.Added);
        var removed = edits.Count(e => e.Kind == Kind.Removed);
        if (added == 0 && removed == 0)
        {
            return ("", 0, 0);
        }

        var text = new StringBuilder().Append("--- ").Append(fromLabel).Append('\n').Append("+++ ").Append(toLabel).Append('\n');
        var i = 0;
        while (i < edits.Count)
        {
            if (edits[i].Kind == Kind.Same)
            {
                i++;
                continue;
            }

            // A hunk: from Context lines before this change to Context lines after the last change that is near.
            var start = Math.Max(0, i - Context);
            var end = i;
            var lastChange = i;
            while (end < edits.Count && end - lastChange <= 2 * Context)
            {
                if (edits[end].Kind != Kind.Same)
                {
                    lastChange = end;
                }

                end++;
            }

            end = Math.Min(edits.Count, lastChange + Context + 1);
            WriteHunk(text, edits, start, end, a, b);
            i = end;
        }

        return (text.ToString(), added, removed);
    }

    private static void WriteHunk(StringBuilder text, List<Edit> edits, int start, int end, string[] a, string[] b)
    {
        var first = edits[start];
        var aCount = 0;
        var bCount = 0;
        for (var j = start; j < end; j++)
        {
            aCount += edits[j].Kind != Kind.Added ? 1 : 0;
            bCount += edits[j].Kind != Kind.Removed ? 1 : 0;
        }

        text.Append("@@ -").Append(Range(first.A, aCount)).Append(" +").Append(Range(first.B, bCount)).Append(" @@\n");
        for (var j = start; j < end; j++)
        {
            var e = edits[j];
            _ = e.Kind switch
            {
                Kind.Same => text.Append(' ').Append(a[e.A]),
                Kind.Removed => text.Append('-').Append(a[e.A]),
                _ => text.Append('+').Append(b[e.B]),
            };
            text.Append('\n');
        }
    }

    private static string Range(int zeroBasedStart, int count) => count switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"{zeroBasedStart},0"),
        1 => (zeroBasedStart + 1).ToString(CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{zeroBasedStart + 1},{count}"),
    };

    private static string[] Lines(string s)
    {
        if (s.Length == 0)
        {
            return [];
        }

        var lines = s.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    /// <summary>The edit script, in order; each edit carries its position in the old (A) and new (B) lines.</summary>
    private static List<Edit> Edits(string[] a, string[] b)
    {
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)])
        {
            tail++;
        }

        var edits = new List<Edit>(a.Length + b.Length);
        for (var i = 0; i < head; i++)
        {
            edits.Add(new Edit(Kind.Same, i, i));
        }

        Middle(a, b, head, a.Length - tail, head, b.Length - tail, edits);
        for (var i = 0; i < tail; i++)
        {
            edits.Add(new Edit(Kind.Same, a.Length - tail + i, b.Length - tail + i));
        }

        return edits;
    }

    private static void Middle(string[] a, string[] b, int a0, int a1, int b0, int b1, List<Edit> edits)
    {
        var n = a1 - a0;
        var m = b1 - b0;
        var script = n + m <= MaxEdits * 4 ? Myers(a, b, a0, n, b0, m) : null;
        if (script is null)
        {
            for (var i = a0; i < a1; i++)
            {
                edits.Add(new Edit(Kind.Removed, i, b0));
            }

            for (var j = b0; j < b1; j++)
            {
                edits.Add(new Edit(Kind.Added, a1, j));
            }

            return;
        }

        edits.AddRange(script);
    }

    private static List<Edit>? Myers(string[] a, string[] b, int a0, int n, int b0, int m)
    {
        var max = n + m;
        var offset = max + 1;
        var v = new int[2 * max + 3];
        var trace = new List<int[]>();
        for (var d = 0; d <= max; d++)
        {
            if (d > MaxEdits)
            {
                return null;
            }

            // Note that only k in [-d-1, d+1] is read when walking back from round d, so that slice is all we keep.
            trace.Add(v.AsSpan(offset - d - 1, 2 * d + 3).ToArray());
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[a0 + x] == b[b0 + y])
                {
                    x++;
                    y++;
                }

                v[offset + k] = x;
                if (x >= n && y >= m)
                {
                    return Backtrack(trace, n, m, a0, b0);
                }
            }
        }

        return null;
    }

    private static List<Edit> Backtrack(List<int[]> trace, int n, int m, int a0, int b0)
    {
        var reversed = new List<Edit>(n + m);
        var x = n;
        var y = m;
        for (var d = trace.Count - 1; d >= 0; d--)
        {
            var v = trace[d];
            var k = x - y;
            int V(int kk) => v[kk + d + 1];
            var prevK = k == -d || (k != d && V(k - 1) < V(k + 1)) ? k + 1 : k - 1;
            var prevX = d == 0 ? 0 : V(prevK);
            var prevY = d == 0 ? 0 : prevX - prevK;
            while (x > prevX && y > prevY)
            {
                reversed.Add(new Edit(Kind.Same, a0 + x - 1, b0 + y - 1));
                x--;
                y--;
            }

            if (d > 0)
            {
                reversed.Add(x == prevX ? new Edit(Kind.Added, a0 + x, b0 + y - 1) : new Edit(Kind.Removed, a0 + x - 1, b0 + y));
            }

            x = prevX;
            y = prevY;
        }

        reversed.Reverse();
        return reversed;
    }
}
