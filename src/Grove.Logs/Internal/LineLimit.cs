using System.Globalization;
using System.Text;

namespace Grove.Logs.Internal;

/// <summary>The per-line limit and the truncation markers. Cutting is deterministic, so a retried batch compares equal.</summary>
internal static class LineLimit
{
    /// <summary>The line itself when within <paramref name="maxBytes"/>; else its head and tail around a marker, within the limit.</summary>
    public static string Cut(string text, int byteCount, int maxBytes)
    {
        if (byteCount <= maxBytes)
        {
            return text;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        var marker = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $" [... grove: {byteCount - maxBytes:N0}+ bytes of this line cut ...] "));
        var keep = Math.Max(0, maxBytes - marker.Length);
        var headEnd = Boundary(bytes, keep / 2);
        var tailStart = bytes.Length - (keep - (keep / 2));
        while (tailStart < bytes.Length && (bytes[tailStart] & 0xC0) == 0x80)
        {
            tailStart++;
        }

        return Encoding.UTF8.GetString(bytes, 0, headEnd) + Encoding.UTF8.GetString(marker) + Encoding.UTF8.GetString(bytes, tailStart, bytes.Length - tailStart);
    }

    /// <summary>The text of the line that stands for dropped lines, between the kept head and tail.</summary>
    public static string DroppedMarker(long lines, long bytes) => string.Create(CultureInfo.InvariantCulture,
        $"[grove: {lines:N0} lines ({bytes:N0} bytes) dropped here: the log passed its size limit, its head and tail are kept]");

    private static int Boundary(byte[] bytes, int at)
    {
        while (at > 0 && (bytes[at] & 0xC0) == 0x80)
        {
            at--;
        }

        return at;
    }
}
