using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Grove.Messages.Internal.Migration;

/// <summary>
/// A mapping made from the legacy field-config table: one string field per legacy field (path = the legacy name,
/// display = the legacy display name), internal names made valid and unique, the named business keys.
/// </summary>
internal static class MappingGenerator
{
    public static string Generate(string partner, string type, IReadOnlyList<(string Field, string? Display)> fields, IReadOnlyList<string> keys)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var chosen = new List<(string Field, string Name, string Display)>();
        foreach (var (field, display) in fields)
        {
            if (chosen.Any(c => c.Field == field))
            {
                continue;
            }

            var name = InternalName(field);
            for (var i = 2; !names.Add(name); i++)
            {
                name = Clip(InternalName(field), 58) + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            chosen.Add((field, name, string.IsNullOrWhiteSpace(display) ? field : display.Trim()));
        }

        var missing = keys.Where(k => chosen.All(c => c.Field != k)).ToArray();
        if (missing.Length > 0)
        {
            throw MessageException.Invalid($"business key(s) {string.Join(", ", missing)} are not fields of partner '{partner}' in the legacy config");
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", "json");
            w.WriteString("generatedBy", "grove messages migrate");
            w.WriteStartArray("keys");
            foreach (var k in keys)
            {
                w.WriteStringValue(chosen.First(c => c.Field == k).Name);
            }

            w.WriteEndArray();
            w.WriteStartArray("fields");
            foreach (var (field, name, display) in chosen)
            {
                w.WriteStartObject();
                w.WriteString("path", field);
                w.WriteString("name", name);
                w.WriteString("display", display);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string InternalName(string field)
    {
        var sb = new StringBuilder();
        foreach (var c in field)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        var s = sb.ToString();
        if (s.Length == 0 || char.IsAsciiDigit(s[0]) || s.All(c => c == '_'))
        {
            s = "f_" + s;
        }

        return Clip(s, 63);
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max];
}
