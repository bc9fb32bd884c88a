using System.Globalization;
using System.Text;
using System.Text.Json;
using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>Compiles a WnQuery-like JSON filter into a parameterized WHERE text over mapped fields only.</summary>
internal sealed class FilterCompiler(CompiledSet set, List<object?> args)
{
    private const int MaxTerms = 200;
    private const int MaxDepth = 8;
    private int _terms;

    public string Compile(JsonElement? where) => where is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } w ? Object(w, 0) : "1=1";

    private string Object(JsonElement o, int depth)
    {
        if (o.ValueKind != JsonValueKind.Object)
        {
            throw RecordsException.Query("a filter is a JSON object of field names");
        }

        if (depth > MaxDepth)
        {
            throw RecordsException.Query($"a filter nests at most {MaxDepth} levels");
        }

        var parts = new List<string>();
        foreach (var p in o.EnumerateObject())
        {
            if (p.Name is "$or" or "$and")
            {
                if (p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() == 0)
                {
                    throw RecordsException.Query($"{p.Name} takes a non-empty array of filters");
                }

                var joiner = p.Name == "$or" ? " OR " : " AND ";
                parts.Add("(" + string.Join(joiner, p.Value.EnumerateArray().Select(x => Object(x, depth + 1))) + ")");
                continue;
            }

            var f = set.ByName.GetValueOrDefault(p.Name) ?? throw RecordsException.Query($"record set '{set.Name}' has no field '{p.Name}' to filter on", p.Name);
            parts.Add(Field(f, p.Value));
        }

        return parts.Count == 0 ? "1=1" : "(" + string.Join(" AND ", parts) + ")";
    }

    private string Field(RecordField f, JsonElement v)
    {
        if (++_terms > MaxTerms)
        {
            throw RecordsException.Query($"a filter holds at most {MaxTerms} terms");
        }

        var col = EngineStorage.Quote(f.ColumnName);
        switch (v.ValueKind)
        {
            case JsonValueKind.Null:
                return $"{col} IS NULL";
            case JsonValueKind.Array:
                return In(f, col, v, negate: false);
            case JsonValueKind.Object:
                return string.Join(" AND ", v.EnumerateObject().Select(op => Operator(f, col, op.Name, op.Value)));
            case JsonValueKind.String when f.Type is RecordFieldType.Integer or RecordFieldType.Long or RecordFieldType.Float or RecordFieldType.Double
                && v.GetString() is { Length: > 2 } s && s[0] is '[' or '(' && s[^1] is ']' or ')':
                return Range(f, col, s);
            default:
                return Compare(f, col, "=", v);
        }
    }

    private string Operator(RecordField f, string col, string op, JsonElement v) => op switch
    {
        "$eq" => v.ValueKind == JsonValueKind.Null ? $"{col} IS NULL" : Compare(f, col, "=", v),
        "$ne" => v.ValueKind == JsonValueKind.Null ? $"{col} IS NOT NULL" : $"({col} IS NULL OR {Compare(f, col, "<>", v)})",
        "$gt" => Compare(f, col, ">", v),
        "$gte" => Compare(f, col, ">=", v),
        "$lt" => Compare(f, col, "<", v),
        "$lte" => Compare(f, col, "<=", v),
        "$in" => In(f, col, v, negate: false),
        "$nin" => In(f, col, v, negate: true),
        _ => throw RecordsException.Query($"unknown operator '{op}' on field '{f.Name}' ($eq $ne $gt $gte $lt $lte $in $nin)", f.Name),
    };

    private string Compare(RecordField f, string col, string op, JsonElement v)
    {
        if (f.IsOpaque)
        {
            throw RecordsException.Query($"field '{f.Name}' holds {(f.IsJsonText ? "JSON" : "bytes")}: it cannot be compared (only null or not)", f.Name);
        }

        if (v.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null)
        {
            throw RecordsException.Query($"field '{f.Name}': {op} takes a value", f.Name);
        }

        var p = Arg(f, v);
        return !f.CaseSensitive && f.Type == RecordFieldType.String ? $"lower({col}) {op} lower({p})" : $"{col} {op} {p}";
    }

    private string In(RecordField f, string col, JsonElement v, bool negate)
    {
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() is 0 or > 1000)
        {
            throw RecordsException.Query($"field '{f.Name}': a list of 1 to 1000 values is expected", f.Name);
        }

        _terms += v.GetArrayLength() / 10;
        var ps = string.Join(", ", v.EnumerateArray().Select(x => x.ValueKind is JsonValueKind.Object or JsonValueKind.Array
            ? throw RecordsException.Query($"field '{f.Name}': a list holds plain values", f.Name)
            : Arg(f, x)));
        return negate ? $"({col} IS NULL OR {col} NOT IN ({ps}))" : $"{col} IN ({ps})";
    }

    private string Range(RecordField f, string col, string s)
    {
        var comma = s.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            throw RecordsException.Query($"field '{f.Name}': range '{s}' needs a comma, as in [10,20)", f.Name);
        }

        var sb = new StringBuilder();
        var lo = s[1..comma].Trim();
        var hi = s[(comma + 1)..^1].Trim();
        if (lo.Length > 0)
        {
            sb.Append(col).Append(s[0] == '[' ? " >= " : " > ").Append(Arg(f, Number(f, lo)));
        }

        if (hi.Length > 0)
        {
            sb.Append(sb.Length > 0 ? " AND " : "").Append(col).Append(s[^1] == ']' ? " <= " : " < ").Append(Arg(f, Number(f, hi)));
        }

        return sb.Length == 0 ? "1=1" : "(" + sb + ")";
    }

    private static JsonElement Number(RecordField f, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw RecordsException.Query($"field '{f.Name}': '{text}' is not a number", f.Name);

    private string Arg(RecordField f, JsonElement v)
    {
        object value;
        try
        {
            value = ValueCodec.ToDb(f, v);
        }
        catch (RecordsException e)
        {
            throw RecordsException.Query(e.Message, f.Name);
        }

        args.Add(value);
        return "@p" + (args.Count - 1);
    }
}
