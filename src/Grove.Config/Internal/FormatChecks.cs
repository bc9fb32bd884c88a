using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Grove.Config.Internal;

/// <summary>The parsers behind <see cref="ConfigFormats"/>; each turns its parser's position into a 1-based line and column.</summary>
internal static partial class FormatChecks
{
    private static readonly JsonDocumentOptions JsonOptions = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 };

    public static void Json(string content)
    {
        try
        {
            using var _ = JsonDocument.Parse(content, JsonOptions);
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            var column = (int)(e.BytePositionInLine ?? 0) + 1;
            throw Invalid("json", line, column, e.Message);
        }
    }

    public static void Yaml(string content)
    {
        try
        {
            new YamlStream().Load(new StringReader(content));
        }
        catch (YamlException e)
        {
            throw Invalid("yaml", (int)e.Start.Line, (int)e.Start.Column, e.Message);
        }
        catch (InvalidOperationException)
        {
            // Note that YamlDotNet's scanner throws this on some malformed input; the last event it parsed tells where.
            var last = Mark.Empty;
            try
            {
                var parser = new Parser(new StringReader(content));
                while (parser.MoveNext())
                {
                    last = parser.Current!.End;
                }
            }
            catch (Exception e) when (e is YamlException or InvalidOperationException)
            {
                throw Invalid("yaml", (int)Math.Max(1, last.Line), (int)Math.Max(1, last.Column), "malformed YAML after this point");
            }

            throw Invalid("yaml", 1, 1, "malformed YAML");
        }
    }

    public static void Xml(string content)
    {
        // Note that DTDs are refused: no entity expansion, no external fetches (XXE).
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(content), settings);
            while (reader.Read())
            {
            }
        }
        catch (XmlException e)
        {
            throw Invalid("xml", e.LineNumber, e.LinePosition, e.Message);
        }
    }

    /// <summary>
    /// Java's <c>Properties.load</c> accepts almost anything; what it refuses is a malformed <c>\uXXXX</c> escape, so
    /// that is what is checked (with logical lines joined by trailing backslashes, as Java reads them).
    /// </summary>
    public static void Properties(string content)
    {
        var line = 1;
        var column = 1;
        for (var i = 0; i < content.Length; i++, column++)
        {
            var c = content[i];
            if (c == '\n')
            {
                line++;
                column = 0;
                continue;
            }

            if (c != '\\' || i + 1 >= content.Length)
            {
                continue;
            }

            var next = content[i + 1];
            if (next == 'u')
            {
                var hex = i + 2 + 4 <= content.Length ? content.AsSpan(i + 2, 4) : content.AsSpan(i + 2);
                if (hex.Length < 4 || !IsHex(hex))
                {
                    throw Invalid("properties", line, column, $"malformed \\uXXXX escape '{content.Substring(i, Math.Min(6, content.Length - i))}'");
                }

                i += 5;
                column += 5;
            }
            else if (next != '\n')
            {
                i++;
                column++;
            }
        }
    }

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static ConfigException Invalid(string type, int line, int column, string detail)
    {
        // Note that some parsers report 0 for "before the first character" (a refused DTD): say line 1, column 1.
        (line, column) = (Math.Max(1, line), Math.Max(1, column));
        return new(ConfigErrorCode.InvalidFormat, $"not valid {type} at line {line}, column {column}: {WithoutPosition(detail)}") { Line = line, Column = column };
    }

    /// <summary>
    /// The parser's own wording without its position, which it gives 0-based (System.Text.Json), as a span (YamlDotNet)
    /// or again at the end (XmlReader): the message already says where, once and 1-based.
    /// </summary>
    private static string WithoutPosition(string detail)
    {
        var s = ParserPosition().Replace(detail, string.Empty).Trim();
        return s.Length == 0 ? detail : s;
    }

    [GeneratedRegex(@"\s*LineNumber: \d+ \| BytePositionInLine: \d+\.|^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*|\s*Line \d+, position \d+\.$")]
    private static partial Regex ParserPosition();
}
