using System.Globalization;
using System.Text;
using System.Text.Json;
using Grove.Messages.Internal.Mapping;
using Grove.Tree.Query;
using Grove.Tree.Storage;

namespace Grove.Messages.Internal.Storage;

/// <summary>
/// Translates a WnQuery filter over mapped fields into SQL over the document column (SQLite JSON functions or
/// PostgreSQL jsonb), parameterized. Field names are checked as internal names; a number compared with a
/// date-time field (a range of dates parses to milliseconds) is compared as the stored UTC text.
/// </summary>
internal sealed class FilterSql(SqlFlavor flavor, Func<string, MappingField?> fieldOf)
{
    private readonly List<KeyValuePair<string, object>> _parameters = [];

    /// <summary>SQL text and its parameters (named <c>@f0</c>, <c>@f1</c>…).</summary>
    internal sealed record Fragment(string Sql, IReadOnlyList<KeyValuePair<string, object>> Parameters);

    public static Fragment Translate(Filter filter, SqlFlavor flavor, Func<string, MappingField?> fieldOf)
    {
        var t = new FilterSql(flavor, fieldOf);
        var sb = new StringBuilder();
        t.Write(filter, sb);
        return new Fragment(sb.ToString(), t._parameters);
    }

    private void Write(Filter f, StringBuilder sb)
    {
        switch (f)
        {
            case AndFilter a:
                Join(a.Items, " AND ", "1=1", sb);
                break;
            case OrFilter o:
                Join(o.Items, " OR ", "1=0", sb);
                break;
            case NotFilter n:
                sb.Append("NOT (");
                Write(n.Inner, sb);
                sb.Append(')');
                break;
            case CompareFilter c:
                Compare(c, sb);
                break;
            case InFilter i:
                Join(i.Values.Select(v => (Filter)new CompareFilter(i.Key, CompareOp.Eq, v)).ToArray(), " OR ", "1=0", sb);
                break;
            case ExistsFilter e:
                sb.Append(flavor == SqlFlavor.Sqlite ? $"json_type(grove_msg_doc(doc), {P(JsonPath(e.Key))})" : $"(doc -> {P(Name(e.Key))})")
                    .Append(e.Exists ? " IS NOT NULL" : " IS NULL");
                break;
            case MatchFilter m:
                Match(m, sb);
                break;
            default:
                throw MessageException.Invalid("labels are not a filter of messages; filter on mapped fields");
        }
    }

    private void Join(IReadOnlyList<Filter> items, string op, string empty, StringBuilder sb)
    {
        if (items.Count == 0)
        {
            sb.Append(empty);
            return;
        }

        sb.Append('(');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(op);
            }

            Write(items[i], sb);
        }

        sb.Append(')');
    }

    private void Compare(CompareFilter c, StringBuilder sb)
    {
        var value = Normalize(c.Key, c.Value);
        if (value is null)
        {
            Write(new ExistsFilter(c.Key, c.Op == CompareOp.Ne), sb);
            return;
        }

        var op = c.Op switch
        {
            CompareOp.Eq => "=",
            CompareOp.Ne => "<>",
            CompareOp.Lt => "<",
            CompareOp.Le => "<=",
            CompareOp.Gt => ">",
            _ => ">=",
        };
        if (flavor == SqlFlavor.Sqlite)
        {
            sb.Append($"json_extract(grove_msg_doc(doc), {P(JsonPath(c.Key))}) {op} {P(value)}");
        }
        else
        {
            sb.Append($"(doc -> {P(Name(c.Key))}) {op} CAST({P(JsonSerializer.Serialize(value))} AS jsonb)");
        }
    }

    private void Match(MatchFilter m, StringBuilder sb)
    {
        if (m.Kind == MatchKind.Regex)
        {
            if (flavor == SqlFlavor.Sqlite)
            {
                throw MessageException.Invalid("regular expressions are not supported on SQLite; use a prefix or a wildcard");
            }

            sb.Append($"(doc ->> {P(Name(m.Key))}) ~ {P(m.Pattern)}");
            return;
        }

        var pattern = m.Kind == MatchKind.Prefix ? Escape(m.Pattern) + Any : Wild(m.Pattern);
        sb.Append(flavor == SqlFlavor.Sqlite
            ? $"json_extract(grove_msg_doc(doc), {P(JsonPath(m.Key))}) GLOB {P(pattern)}"
            : $"(doc ->> {P(Name(m.Key))}) LIKE {P(pattern)}");
    }

    private string Any => flavor == SqlFlavor.Sqlite ? "*" : "%";

    private string Escape(string s)
    {
        var sb = new StringBuilder();
        foreach (var ch in s)
        {
            if (flavor == SqlFlavor.Sqlite)
            {
                sb.Append(ch is '*' or '?' or '[' ? $"[{ch}]" : ch.ToString());
            }
            else
            {
                sb.Append(ch is '%' or '_' or '\\' ? "\\" + ch : ch.ToString());
            }
        }

        return sb.ToString();
    }

    private string Wild(string s)
    {
        var sb = new StringBuilder();
        foreach (var ch in s)
        {
            sb.Append(ch switch
            {
                '*' => Any,
                '?' => flavor == SqlFlavor.Sqlite ? "?" : "_",
                _ => Escape(ch.ToString()),
            });
        }

        return sb.ToString();
    }

    private object? Normalize(string key, object? value)
    {
        if (value is long ms && fieldOf(Name(key)) is { Type: FieldType.DateTime })
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString(ValueConverter.DateTimeFormat, CultureInfo.InvariantCulture);
        }

        return value is bool b && flavor == SqlFlavor.Sqlite ? (b ? 1L : 0L) : value;
    }

    private static string Name(string key) => MappingReader.NamePattern().IsMatch(key)
        ? key
        : throw MessageException.Invalid($"'{key}' is not a mapped field's name");

    private static string JsonPath(string key) => "$." + Name(key);

    private string P(object value)
    {
        var name = "@f" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new(name, value));
        return name;
    }
}
