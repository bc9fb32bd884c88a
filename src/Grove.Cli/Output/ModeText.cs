using Grove.Tree;

namespace Grove.Cli.Output;

/// <summary>Mode bits as <c>ls -l</c> shows them: <c>drwxr-xr-x</c>.</summary>
public static class ModeText
{
    /// <summary>The ten-character mode of an object.</summary>
    public static string Format(TreeObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        Span<char> text = stackalloc char[10];
        text[0] = o.IsDir ? 'd' : o.Link is not null ? 'l' : '-';
        for (var i = 0; i < 9; i++)
        {
            var bit = 1 << (8 - i);
            text[i + 1] = (o.Mode & bit) == 0 ? '-' : "rwx"[i % 3];
        }

        return new string(text);
    }

    /// <summary>The mode bits in octal, as <c>chmod</c> takes them: <c>755</c>.</summary>
    public static string Octal(int mode) => Convert.ToString(mode, 8).PadLeft(3, '0');
}
