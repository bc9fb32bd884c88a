using System.Globalization;
using Grove.Tree;

namespace Grove.Cli.Output;

/// <summary>
/// The listing table of <c>ls</c> and <c>find</c>: mode, size, modified, name. Columns have fixed widths, so rows can
/// be printed as pages arrive and still line up. Directories end in <c>/</c>, and show no size.
/// </summary>
internal static class ObjectTable
{
    private const int SizeWidth = 10;
    private const int TimeWidth = 16;

    /// <summary>The header line.</summary>
    public static string Header(string nameColumn) =>
        $"{"MODE",-10}  {"SIZE",SizeWidth}  {"MODIFIED",-TimeWidth}  {nameColumn}";

    /// <summary>One row; <paramref name="name"/> is the name or path to show.</summary>
    public static string Row(TreeObject o, string name)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (HiddenEntry.Is(o))
        {
            var hidden = TerminalText.Clean(name) + (o.IsDir ? "/" : "");
            return $"{"?---------",-10}  {"?",SizeWidth}  {"(no read access)",-TimeWidth}  {hidden}";
        }

        var size = o.IsDir ? "-" : HumanSize.Format(o.Length);
        var shown = TerminalText.Clean(name);
        shown = o.IsDir && !shown.EndsWith('/') ? shown + "/" : shown;
        if (o.Mount is not null)
        {
            shown += "  [" + o.Mount + "]";
        }

        return $"{ModeText.Format(o)}  {size,SizeWidth}  {Time(o.Modified),-TimeWidth}  {shown}";
    }

    /// <summary>A time in ms since the epoch, local, to the minute.</summary>
    public static string Time(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
