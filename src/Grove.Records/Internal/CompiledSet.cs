using System.Security.Cryptography;
using System.Text;
using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>A defined record set ready for statements: its mapping, table template and quoted column lists.</summary>
internal sealed class CompiledSet
{
    public CompiledSet(string name, RecordMapping mapping, long revision)
    {
        Name = name;
        Mapping = mapping;
        Revision = revision;
        Template = TableTemplate.Parse(mapping.TableName, mapping);
        Fields = mapping.Fields;
        ByName = mapping.Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        Pks = mapping.Pks.Select(p => ByName[p]).ToList();
        Version = mapping.Fields.FirstOrDefault(f => f.IsVersion);
        AllColumns = string.Join(", ", Fields.Select(f => EngineStorage.Quote(f.ColumnName)));
        LongKeyed = Pks.Count == 1 && Pks[0].Type is RecordFieldType.Long or RecordFieldType.Integer or RecordFieldType.String;
        NameHash = name.GetHashCode();
        IntegerKeyed = Pks[0].Type is RecordFieldType.Long or RecordFieldType.Integer && Pks[0].CustomDbType is null
            && string.Equals(Pks[0].ColumnType, "AUTO", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The first key field is an integer stored as one: history tables then keep the range of it they may hold, so a
    /// key is looked for only in the tables whose range has it.
    /// </summary>
    public bool IntegerKeyed { get; }

    public string Name { get; }

    /// <summary>One key field that a long names (Integer, Long, or String by its decimal text): the cache's fast get.</summary>
    public bool LongKeyed { get; }

    /// <summary>The name's hash, computed once for the cache keys of the set's rows.</summary>
    public int NameHash { get; }

    public RecordMapping Mapping { get; }

    public long Revision { get; }

    public TableTemplate Template { get; }

    public IReadOnlyList<RecordField> Fields { get; }

    public IReadOnlyDictionary<string, RecordField> ByName { get; }

    public IReadOnlyList<RecordField> Pks { get; }

    public RecordField? Version { get; }

    /// <summary>Every column, quoted, in field order.</summary>
    public string AllColumns { get; }

    public HistoryPolicy? History => Mapping.History;

    /// <summary>The main table of a row with these values (the static name, or the template resolved with the row's key).</summary>
    public string MainTable(Func<string, object?> value) => Template.Resolve(value);

    /// <summary>The name of history table number <paramref name="seq"/>.</summary>
    public string HistoryTable(int seq) => $"{Template.Static}__h{seq:D6}";

    /// <summary>The physical name of a mapped index on a table (short enough for PostgreSQL, unique per table).</summary>
    public static string IndexName(string table, string index)
    {
        var name = $"{table}__{index}";
        if (name.Length <= 63)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..16];
        return $"{table[..Math.Min(table.Length, 40)]}__ix{hash}";
    }

    /// <summary>The key of a row as text, for the cache and the bus.</summary>
    public string KeyText(IReadOnlyList<object> key) =>
        key.Count == 1 ? ValueCodec.KeyText(key[0]) : string.Join('\u001f', key.Select(ValueCodec.KeyText));

    /// <summary>Key values coerced to the key fields' types, checked for count.</summary>
    public object[] Key(IReadOnlyList<object?> key)
    {
        if (key.Count != Pks.Count)
        {
            throw RecordsException.Argument($"record set '{Name}' has a key of {Pks.Count} field(s) ({string.Join(", ", Mapping.Pks)}); {key.Count} given");
        }

        var values = new object[key.Count];
        for (var i = 0; i < key.Count; i++)
        {
            values[i] = ValueCodec.ToDb(Pks[i], key[i]);
            if (values[i] is DBNull)
            {
                throw RecordsException.Argument($"key field '{Pks[i].Name}' is null", Pks[i].Name);
            }
        }

        return values;
    }

    /// <summary>The WHERE text matching the key (parameters <c>@k0</c>, <c>@k1</c>…).</summary>
    public string KeyWhere() => string.Join(" AND ", Pks.Select((p, i) => $"{EngineStorage.Quote(p.ColumnName)} = @k{i}"));
}
