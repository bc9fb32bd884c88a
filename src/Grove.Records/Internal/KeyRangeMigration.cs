using System.Data.Common;
using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>
/// Schema 3: each history table keeps the range of its first key field (sets keyed by an integer), so gets, inserts
/// and bulk loads look for a key only in the tables whose range has it. History tables made before it get their range
/// from their rows here, once (MIN and MAX over the key's index).
/// </summary>
internal static class KeyRangeMigration
{
    public static async Task ApplyAsync(DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        foreach (var sql in new[]
        {
            "ALTER TABLE grove_record_tables ADD COLUMN key_min BIGINT NULL",
            "ALTER TABLE grove_record_tables ADD COLUMN key_max BIGINT NULL",
            "ALTER TABLE grove_record_tables ADD COLUMN ranged SMALLINT NOT NULL DEFAULT 0",
        })
        {
            await EngineStorage.ExecAsync(c, tx, sql, ct);
        }

        var history = new List<(string Table, string Mapping, string Set)>();
        await using (var cmd = EngineStorage.Command(c, tx, """
            SELECT t.table_name, s.mapping, s.name FROM grove_record_tables t JOIN grove_record_sets s ON s.name = t.set_name
            WHERE t.kind = 'history'
            """))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                history.Add((r.GetString(0), r.GetString(1), r.GetString(2)));
            }
        }

        var session = new Session(c, tx);
        foreach (var (table, mapping, name) in history)
        {
            await SetCatalog.RangeAsync(session, new CompiledSet(name, RecordMapping.Parse(mapping), 0), table, ct);
        }
    }
}
