using System.Text;

namespace Grove.Client.Internal;

/// <summary>Tree paths in URLs: each segment percent-encoded, so any name travels intact.</summary>
internal static class TreeRoute
{
    /// <summary>
    /// <c>/projects/report q1.pdf</c> → <c>projects/report%20q1.pdf</c>; the root is empty. Empty and <c>.</c>
    /// segments are dropped; <c>..</c> is refused, because a URL resolver would silently climb with it.
    /// </summary>
    public static string Encode(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var sb = new StringBuilder(path.Length + 8);
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                throw new ArgumentException($"a tree path never climbs with '..': {path}", nameof(path));
            }

            if (sb.Length > 0)
            {
                sb.Append('/');
            }

            sb.Append(Uri.EscapeDataString(segment));
        }

        return sb.ToString();
    }
}
