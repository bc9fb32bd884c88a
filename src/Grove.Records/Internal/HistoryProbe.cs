using System.Data.Common;
using System.Globalization;
using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>
/// Whether a row about to be inserted is already in one of the set's history tables: its key (in the tables whose key
/// range holds it) or the value of a unique index (in every history table: history tables keep unique indexes as plain
/// ones, so the rule is kept here). One statement per table and question, bound again for each row.
/// </summary>
internal sealed class HistoryProbe(CompiledSet set, IReadOnlyList<RecordTableInfo> tables) : IAsyncDisposable
{
    private readonly List<RecordTableInfo> _history = tables.Where(t => t.Kind == RecordTableKind.History).ToList();
    private readonly List<RecordIndex> _unique = set.Mapping.Indexes.Where(x => x.Unique).ToList();
    private readonly Dictionary<string, DbCommand> _statements = new(StringComparer.Ordinal);

    /// <summary>What of the row is taken ("key (…) in history table 'x'"), or null when nothing is.</summary>
    public async Task<string?> TakenAsync(Session s, BatchWriter.Planned row, CancellationToken ct)
    {
        foreach (var t in _history)
        {
            if (row.Key is { } key && RowWriter.MayHold(set, t, key)
                && await ExistsAsync(s, t.Name, set.Pks, key, ct))
            {
                return $"key ({set.KeyText(key)}) in history table '{t.Name}'";
            }

            foreach (var x in _unique)
            {
                var fields = x.Fields.Select(n => set.ByName[n]).ToList();
                var values = new object[fields.Count];
                for (var i = 0; i < fields.Count; i++)
                {
                    var at = row.Fields.IndexOf(fields[i]);
                    values[i] = at < 0 ? DBNull.Value : row.Values[at];
                }

                // Note that a unique index never holds two rows only when every value is set (NULLs are distinct).
                if (values.All(v => v is not DBNull) && await ExistsAsync(s, t.Name, fields, values, ct))
                {
                    return $"unique index '{x.Name}' value in history table '{t.Name}'";
                }
            }
        }

        return null;
    }

    private async Task<bool> ExistsAsync(Session s, string table, IReadOnlyList<RecordField> fields, object[] values, CancellationToken ct)
    {
        var q = EngineStorage.Quote;
        var sql = $"SELECT 1 FROM {q(table)} WHERE {string.Join(" AND ", fields.Select((f, i) => $"{q(f.ColumnName)} = @p{i.ToString(CultureInfo.InvariantCulture)}"))} LIMIT 1";
        if (!_statements.TryGetValue(sql, out var cmd))
        {
            cmd = Db.Command(s, sql, new object?[fields.Count]);
            _statements[sql] = cmd;
        }

        for (var i = 0; i < values.Length; i++)
        {
            cmd.Parameters[i].Value = values[i];
        }

        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _statements.Values)
        {
            await c.DisposeAsync();
        }
    }
}
