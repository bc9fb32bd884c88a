using System.Globalization;
using System.Text;

namespace Grove.Client.Configuration.Internal;

/// <summary>
/// Java properties as <c>java.util.Properties.load</c> reads them: <c>#</c>/<c>!</c> comments, <c>=</c>, <c>:</c> or
/// white space between key and value, a trailing backslash continuing a line, and the escapes (<c>\t \n \r \f \uXXXX</c>).
/// </summary>
internal static class PropertiesParser
{
    public static IEnumerable<KeyValuePair<string, string>> Parse(string content)
    {
        var lines = content.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var result = new List<KeyValuePair<string, string>>();
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimStart(' ', '\t', '\f');
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            var logical = new StringBuilder();
            while (EndsWithContinuation(line) && n + 1 < lines.Length)
            {
                logical.Append(line, 0, line.Length - 1);
                line = lines[++n].TrimStart(' ', '\t', '\f');
            }

            logical.Append(EndsWithContinuation(line) ? line[..^1] : line);
            result.Add(Split(logical.ToString(), n + 1));
        }

        return result;
    }

    private static bool EndsWithContinuation(string line)
    {
        var slashes = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            slashes++;
        }

        return slashes % 2 == 1;
    }

    private static KeyValuePair<string, string> Split(string line, int lineNo)
    {
        var i = 0;
        while (i < line.Length && !(line[i] is '=' or ':' or ' ' or '\t' or '\f'))
        {
            i += line[i] == '\\' ? 2 : 1;
        }

        var key = line[..Math.Min(i, line.Length)];
        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
        {
            i++;
        }

        if (i < line.Length && line[i] is '=' or ':')
        {
            i++;
        }

        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
        {
            i++;
        }

        return new KeyValuePair<string, string>(Unescape(key, lineNo), Unescape(line[i..], lineNo));
    }

    private static string Unescape(string s, int lineNo)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
        {
            return s;
        }

        var text = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\' || i + 1 >= s.Length)
            {
                text.Append(s[i]);
                continue;
            }

            var c = s[++i];
            switch (c)
            {
                case 't':
                    text.Append('\t');
                    break;
                case 'n':
                    text.Append('\n');
                    break;
                case 'r':
                    text.Append('\r');
                    break;
                case 'f':
                    text.Append('\f');
                    break;
                case 'u':
                    if (s.Length - i - 1 < 4 || !ushort.TryParse(s.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw new FormatException($"line {lineNo}: malformed \\uXXXX escape");
                    }

                    text.Append((char)code);
                    i += 4;
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        return text.ToString();
    }
}
