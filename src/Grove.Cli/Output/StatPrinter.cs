using System.Globalization;
using Grove.Tree;

namespace Grove.Cli.Output;

/// <summary>The human form of <c>stat</c>: one aligned <c>key  value</c> line per known fact, exact byte counts.</summary>
internal static class StatPrinter
{
    private const int KeyWidth = 9;

    public static void Write(TextWriter output, TreeObject o)
    {
        Line(output, "path", o.Path is null ? null : TerminalText.Clean(o.Path));
        Line(output, "id", o.Id);
        Line(output, "parent", o.ParentId.Length == 0 ? "(root)" : o.ParentId);
        Line(output, "race", o.IsDir ? "DIR" : "FILE");
        Line(output, "type", o.Type);
        Line(output, "mime", o.Mime);
        if (!o.IsDir)
        {
            var bytes = o.Length.ToString("N0", CultureInfo.InvariantCulture) + (o.Length == 1 ? " byte" : " bytes");
            Line(output, "size", o.Length < 1024 ? bytes : $"{bytes} ({HumanSize.Format(o.Length)})");
        }

        Line(output, "sha256", o.Sha256);
        Line(output, "mode", $"{ModeText.Format(o)} ({ModeText.Octal(o.Mode)})");
        Line(output, "mount", o.Mount);
        Line(output, "link", o.Link);
        Line(output, "labels", o.Labels.Count == 0 ? null : string.Join(", ", o.Labels));
        Line(output, "creator", o.Creator);
        Line(output, "modifier", o.Modifier);
        Line(output, "group", o.Group);
        Line(output, "created", Time(o.Created));
        Line(output, "modified", Time(o.Modified));
        Line(output, "expires", o.Expires is { } e ? Time(e) : null);
        Line(output, "version", o.Version.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in o.Meta.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Line(output, "meta", $"{key} = {TerminalText.Clean(value.GetRawText())}");
        }
    }

    /// <summary>A time in ms since the epoch as a full local time with its offset.</summary>
    public static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToLocalTime()
        .ToString("yyyy-MM-dd HH:mm:ss.fff zzz", CultureInfo.InvariantCulture);

    private static void Line(TextWriter output, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            output.WriteLine($"{key.PadRight(KeyWidth)}{value}");
        }
    }
}
