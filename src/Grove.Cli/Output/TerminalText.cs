using System.Text;

namespace Grove.Cli.Output;

/// <summary>Text made safe for a terminal line: control characters (a newline in a name) become <c>?</c>.</summary>
internal static class TerminalText
{
    public static string Clean(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            sb.Append(char.IsControl(ch) ? '?' : ch);
        }

        return sb.ToString();
    }
}
