using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>How a row given by a caller becomes column values, and how a database row becomes a <see cref="RecordRow"/>.</summary>
internal static partial class RowPlan
{
    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();

    /// <summary>Refuses keys that are not mapped fields.</summary>
    public static void CheckKeys(CompiledSet set, IReadOnlyDictionary<string, object?> row)
    {
        foreach (var k in row.Keys)
        {
            if (!set.ByName.ContainsKey(k))
            {
                throw RecordsException.Argument($"record set '{set.Name}' has no field '{k}'", k);
            }
        }
    }

    /// <summary>The inserted columns and their values: defaults filled (<c>${key}</c> from the row), version starting at 1.</summary>
    public static (List<RecordField> Fields, List<object> Values) ForInsert(CompiledSet set, IReadOnlyDictionary<string, object?> row)
    {
        CheckKeys(set, row);
        var fields = new List<RecordField>(set.Fields.Count);
        var values = new List<object>(set.Fields.Count);
        foreach (var f in set.Fields)
        {
            if (f.Readonly || !f.Insert)
            {
                continue;
            }

            row.TryGetValue(f.Name, out var v);
            if (v is null && f.AutoIncreasement)
            {
                continue;
            }

            if (v is null && f.DefaultValue is { } d)
            {
                v = Placeholder().Replace(d, m => row.TryGetValue(m.Groups[1].Value, out var x) && x is not null ? Text(x) : "");
            }

            if (v is null && f.IsVersion)
            {
                v = 1L;
            }

            fields.Add(f);
            values.Add(ValueCodec.ToDb(f, v));
        }

        return (fields, values);
    }

    private static string Text(object x) => x switch
    {
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String } e => e.GetString()!,
        System.Text.Json.JsonElement e => e.GetRawText(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => x.ToString() ?? "",
    };

    /// <summary>The key values of a row (each key field must be present).</summary>
    public static object[] KeyOf(CompiledSet set, IReadOnlyDictionary<string, object?> row) =>
        set.Key(set.Pks.Select(p => row.TryGetValue(p.Name, out var v) && v is not null ? v : throw RecordsException.Argument($"key field '{p.Name}' is missing", p.Name)).ToList());

    /// <summary>The main table a row goes to.</summary>
    public static string TableOf(CompiledSet set, object[] key) =>
        set.Template.IsDynamic ? set.MainTable(f => key[set.Pks.ToList().FindIndex(p => p.Name == f)]) : set.Template.Static;

    public static void AddKey(DbCommand cmd, object[] key)
    {
        for (var i = 0; i < key.Length; i++)
        {
            EngineStorage.Parameter(cmd, "k" + i, key[i]);
        }
    }

    /// <summary>Reads the current row of a reader whose columns are <see cref="CompiledSet.AllColumns"/>.</summary>
    public static RecordRow Read(CompiledSet set, DbDataReader r, string table)
    {
        var values = new Dictionary<string, object?>(set.Fields.Count, StringComparer.Ordinal);
        for (var i = 0; i < set.Fields.Count; i++)
        {
            values[set.Fields[i].Name] = ValueCodec.FromDb(set.Fields[i], r.GetValue(i));
        }

        return new RecordRow(values, table);
    }
}
