using System.Text.RegularExpressions;

namespace Grove.Records.Internal;

/// <summary>The rules a mapping must meet; each failure names the field (or mapping member) at fault.</summary>
internal static partial class MappingValidator
{
    /// <summary>The longest static table name: history tables append <c>__h</c> and six digits within PostgreSQL's 63.</summary>
    public const int MaxTableName = 48;

    public const int MaxFields = 500;

    private static readonly HashSet<string> ColumnTypes = ["AUTO", "CHAR", "VARCHAR", "TEXT", "INT", "BOOLEAN", "FLOAT"];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex IdentifierRegex();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_ ]{0,40}(\(\s*\d{1,5}\s*(,\s*\d{1,5}\s*)?\))?$")]
    private static partial Regex DbTypeRegex();

    public static bool IsIdentifier(string s) => IdentifierRegex().IsMatch(s);

    public static void Validate(RecordMapping m)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.Fields.Count == 0)
        {
            throw RecordsException.Mapping("a mapping needs at least one field", "fields");
        }

        if (m.Fields.Count > MaxFields)
        {
            throw RecordsException.Mapping($"a mapping holds at most {MaxFields} fields", "fields");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in m.Fields)
        {
            CheckIdentifier(f.Name, f.Name, "field name");
            CheckIdentifier(f.ColumnName, f.Name, "columnName");
            if (!names.Add(f.Name))
            {
                throw RecordsException.Mapping($"field '{f.Name}' is declared twice", f.Name);
            }

            if (!columns.Add(f.ColumnName))
            {
                throw RecordsException.Mapping($"field '{f.Name}': column '{f.ColumnName}' is used by another field", f.Name);
            }

            if (!Enum.IsDefined(f.Type))
            {
                throw RecordsException.Mapping($"field '{f.Name}' has unknown type '{f.Type}'", f.Name);
            }

            if (!ColumnTypes.Contains(f.ColumnType))
            {
                throw RecordsException.Mapping($"field '{f.Name}' has unknown columnType '{f.ColumnType}' ({string.Join('|', ColumnTypes)}; use customDbType for others)", f.Name);
            }

            if (f.CustomDbType is { } custom && !DbTypeRegex().IsMatch(custom))
            {
                throw RecordsException.Mapping($"field '{f.Name}': customDbType '{custom}' is not a type name such as NUMERIC(12,2)", f.Name);
            }

            if (f.IsVersion && f.Type is not (RecordFieldType.Integer or RecordFieldType.Long))
            {
                throw RecordsException.Mapping($"field '{f.Name}' is the version field but not Integer or Long", f.Name);
            }

            if (f.AutoIncreasement && f.Type is not (RecordFieldType.Integer or RecordFieldType.Long))
            {
                throw RecordsException.Mapping($"field '{f.Name}' is autoIncreasement but not Integer or Long", f.Name);
            }
        }

        if (m.Fields.Count(f => f.IsVersion) > 1)
        {
            throw RecordsException.Mapping("only one field may be the version field", m.Fields.Where(f => f.IsVersion).Skip(1).First().Name);
        }

        CheckPks(m, names);
        TableTemplate.Parse(m.TableName, m);
        foreach (var (key, field) in m.ObjKeys)
        {
            if (!names.Contains(field))
            {
                throw RecordsException.Mapping($"objKeys.{key} names unknown field '{field}'", field);
            }
        }

        var indexNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var x in m.Indexes)
        {
            CheckIdentifier(x.Name, "indexes." + x.Name, "index name");
            if (!indexNames.Add(x.Name))
            {
                throw RecordsException.Mapping($"index '{x.Name}' is declared twice", "indexes." + x.Name);
            }

            if (x.Fields.Count == 0)
            {
                throw RecordsException.Mapping($"index '{x.Name}' has no fields", "indexes." + x.Name);
            }

            foreach (var f in x.Fields.Where(f => !names.Contains(f)))
            {
                throw RecordsException.Mapping($"index '{x.Name}' names unknown field '{f}'", f);
            }

            foreach (var f in x.Fields.Where(f => m.Field(f)!.Type == RecordFieldType.Bytes))
            {
                throw RecordsException.Mapping($"index '{x.Name}': field '{f}' is Bytes, which is not indexed", f);
            }
        }

        CheckHistory(m);
    }

    private static void CheckPks(RecordMapping m, HashSet<string> names)
    {
        if (m.Pks.Count == 0)
        {
            throw RecordsException.Mapping("a mapping needs a primary key (pks)", "pks");
        }

        if (m.Pks.Distinct(StringComparer.Ordinal).Count() != m.Pks.Count)
        {
            throw RecordsException.Mapping("pks names a field twice", "pks");
        }

        foreach (var pk in m.Pks)
        {
            if (!names.Contains(pk))
            {
                throw RecordsException.Mapping($"pks names unknown field '{pk}'", pk);
            }

            if (m.Field(pk)!.IsOpaque)
            {
                throw RecordsException.Mapping($"primary-key field '{pk}' cannot be of a JSON type or Bytes", pk);
            }
        }

        var auto = m.Fields.FirstOrDefault(f => f.AutoIncreasement);
        if (auto is not null && (m.Pks.Count != 1 || m.Pks[0] != auto.Name))
        {
            throw RecordsException.Mapping($"field '{auto.Name}' is autoIncreasement: it must be the only primary-key field", auto.Name);
        }
    }

    private static void CheckHistory(RecordMapping m)
    {
        if (m.History is not { } h)
        {
            return;
        }

        var cut = m.Field(h.CutField) ?? throw RecordsException.Mapping($"history.cutField names unknown field '{h.CutField}'", h.CutField);
        if (cut.IsOpaque || cut.Type == RecordFieldType.Boolean)
        {
            throw RecordsException.Mapping($"history.cutField '{cut.Name}' must be a string or a number", cut.Name);
        }

        if (!cut.NotNull && !m.Pks.Contains(cut.Name))
        {
            throw RecordsException.Mapping($"history.cutField '{cut.Name}' must be notNull (rows without an age cannot be ordered)", cut.Name);
        }

        if (h.MainRows < 1 || h.TableRows < 1 || h.Keep < 1)
        {
            throw RecordsException.Mapping("history.mainRows, history.tableRows and history.keep must be at least 1", "history");
        }

        if (m.TableName.Contains("${", StringComparison.Ordinal))
        {
            throw RecordsException.Mapping("a record set with a dynamic tableName cannot have history tables", "tableName");
        }

        if (h.Strategy == HistoryStrategy.Partitions)
        {
            CheckPartitions(m, h, cut);
        }

        if (m.Fields.Any(f => f.AutoIncreasement))
        {
            // Note that history keys are copied, never generated; an identity column in the main table is fine, but
            // SQLite's AUTOINCREMENT would let a key come back after its row moved.
        }
    }

    private static void CheckPartitions(RecordMapping m, HistoryPolicy h, RecordField cut)
    {
        if (h.Interval is not > 0)
        {
            throw RecordsException.Mapping("history.interval (the width of one partition in cutField units) is required with strategy partitions and must be at least 1", "history.interval");
        }

        if (cut.Type is not (RecordFieldType.Integer or RecordFieldType.Long) || cut.CustomDbType is not null)
        {
            throw RecordsException.Mapping($"history.cutField '{cut.Name}' must be an Integer or Long field to partition by its ranges", cut.Name);
        }

        // Note that PostgreSQL requires every unique constraint of a partitioned table to include the partition key.
        if (!m.Pks.Contains(cut.Name))
        {
            throw RecordsException.Mapping($"history.cutField '{cut.Name}' must be one of the pks with strategy partitions (PostgreSQL's unique keys must include the partition key)", cut.Name);
        }

        foreach (var x in m.Indexes.Where(x => x.Unique && !x.Fields.Contains(cut.Name)))
        {
            throw RecordsException.Mapping($"unique index '{x.Name}' must include history.cutField '{cut.Name}' with strategy partitions", "indexes." + x.Name);
        }

        if (m.Fields.FirstOrDefault(f => f.AutoIncreasement) is { } auto)
        {
            throw RecordsException.Mapping($"field '{auto.Name}' cannot be autoIncreasement with strategy partitions", auto.Name);
        }
    }

    private static void CheckIdentifier(string name, string field, string what)
    {
        if (string.IsNullOrEmpty(name) || !IsIdentifier(name))
        {
            throw RecordsException.Mapping($"{what} '{name}' is not a valid identifier (a letter or _, then letters, digits or _, at most 63)", field);
        }

        if (name.StartsWith("grove_", StringComparison.OrdinalIgnoreCase))
        {
            throw RecordsException.Mapping($"{what} '{name}' uses the reserved prefix grove_", field);
        }
    }
}
