using System.Text.RegularExpressions;

namespace Grove.Cli.Tests.Infrastructure;

/// <summary>
/// Output with what legitimately differs between two runs masked: ids, times, the runner's temp folder, and the
/// owner and modifier that only a server stamps, and query cursors (they embed ids).
/// </summary>
internal static partial class OutputNormalizer
{
    public static string Normalize(string text, GroveRunner runner)
    {
        text = text.Replace(runner.Temp.Path, "<tmp>", StringComparison.Ordinal);
        text = Id().Replace(text, "<id>");
        text = LongTime().Replace(text, "<time>");
        text = ShortTime().Replace(text, "<time>");
        text = JsonTime().Replace(text, "\"$1\":<ms>");
        text = JsonStamp().Replace(text, "");
        text = Cursor().Replace(text, "$1<cursor>");
        return string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("creator ", StringComparison.Ordinal) && !l.StartsWith("modifier ", StringComparison.Ordinal)));
    }

    [GeneratedRegex(@"\b[0-9a-v]{26}\b")]
    private static partial Regex Id();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} [+-]\d{2}:\d{2}")]
    private static partial Regex LongTime();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")]
    private static partial Regex ShortTime();

    [GeneratedRegex("\"(ct|lm)\":\\d+")]
    private static partial Regex JsonTime();

    [GeneratedRegex("(\"next\":\"|next: )[A-Za-z0-9_-]{20,}")]
    private static partial Regex Cursor();

    [GeneratedRegex(",\"[cm]\":\"admin\"")]
    private static partial Regex JsonStamp();
}
