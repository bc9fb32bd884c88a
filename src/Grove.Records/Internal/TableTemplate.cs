using System.Text;

namespace Grove.Records.Internal;

/// <summary>
/// A mapping's tableName: a plain name, or a template such as <c>t_abc_${id}</c> whose placeholders are primary-key
/// fields, so a row's key decides its table (seed 003's sharded tables).
/// </summary>
internal sealed class TableTemplate
{
    private readonly List<(string Text, string? Field)> _parts;

    private TableTemplate(List<(string Text, string? Field)> parts) => _parts = parts;

    public bool IsDynamic => _parts.Any(p => p.Field is not null);

    public IEnumerable<string> Placeholders => _parts.Where(p => p.Field is not null).Select(p => p.Field!);

    /// <summary>The static name (a template without placeholders).</summary>
    public string Static => IsDynamic ? throw new InvalidOperationException("dynamic table name") : _parts[0].Text;

    public static TableTemplate Parse(string tableName, RecordMapping m)
    {
        var parts = new List<(string, string?)>();
        var i = 0;
        while (i < tableName.Length)
        {
            var open = tableName.IndexOf("${", i, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add((tableName[i..], null));
                break;
            }

            if (open > i)
            {
                parts.Add((tableName[i..open], null));
            }

            var close = tableName.IndexOf('}', open);
            if (close < 0)
            {
                throw RecordsException.Mapping($"tableName '{tableName}' has an unclosed ${{", "tableName");
            }

            var field = tableName[(open + 2)..close];
            if (!m.Pks.Contains(field))
            {
                throw RecordsException.Mapping($"tableName placeholder '${{{field}}}' must name a primary-key field", "tableName");
            }

            parts.Add(("", field));
            i = close + 1;
        }

        var template = new TableTemplate(parts);
        var fixedText = string.Concat(parts.Select(p => p.Item1));
        if (fixedText.Length == 0 || !MappingValidator.IsIdentifier(template.IsDynamic ? fixedText + "x" : fixedText) || !char.IsAsciiLetter(tableName[0]) && tableName[0] != '_')
        {
            throw RecordsException.Mapping($"tableName '{tableName}' is not a valid identifier (a letter or _, then letters, digits or _)", "tableName");
        }

        if (fixedText.Length > MappingValidator.MaxTableName)
        {
            throw RecordsException.Mapping($"tableName '{tableName}' is longer than {MappingValidator.MaxTableName} characters", "tableName");
        }

        return template;
    }

    /// <summary>The table holding a row with these key values; the values must be letters, digits, _ or -.</summary>
    public string Resolve(Func<string, object?> keyValue)
    {
        if (!IsDynamic)
        {
            return _parts[0].Text;
        }

        var sb = new StringBuilder();
        foreach (var (text, field) in _parts)
        {
            if (field is null)
            {
                sb.Append(text);
                continue;
            }

            var v = Convert.ToString(keyValue(field), System.Globalization.CultureInfo.InvariantCulture);
            if (string.IsNullOrEmpty(v) || !v.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw RecordsException.Argument($"field '{field}' decides the table: its value must be letters, digits or _", field);
            }

            sb.Append(v);
        }

        var name = sb.ToString();
        return name.Length <= 63 ? name : throw RecordsException.Argument($"table name '{name}' is longer than 63 characters", Placeholders.First());
    }
}
