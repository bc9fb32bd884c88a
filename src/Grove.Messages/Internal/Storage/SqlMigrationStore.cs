using System.Data.Common;
using System.Globalization;
using Grove.Tree.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Grove.Messages.Internal.Storage;

/// <summary>
/// The migration's side of <see cref="SqlMessageStore"/>: runs, range checkpoints, and bulk writes of a range with
/// its checkpoint in one transaction (SQLite: one reused insert statement; PostgreSQL: binary COPY into a temporary
/// table, then one insert that skips source ids already present).
/// </summary>
internal sealed class SqlMigrationStore(EngineStorage storage)
{
    private const string InsertColumns = "partner, type, received, source_id, rev, k1, k2, k3, k4, fmt, doc, body, origin";

    public async Task<MigrationRun?> GetRunAsync(string run, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, "SELECT source, lo, hi, range_size, started, finished FROM grove_msg_migrations WHERE run = @r");
        EngineStorage.Parameter(cmd, "r", run);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new MigrationRun(run, r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.IsDBNull(5) ? null : r.GetInt64(5))
            : null;
    }

    public async Task SaveRunAsync(MigrationRun run, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, "INSERT INTO grove_msg_migrations (run, source, lo, hi, range_size, started) VALUES (@r, @s, @lo, @hi, @n, @t) ON CONFLICT DO NOTHING");
        EngineStorage.Parameter(cmd, "r", run.Run);
        EngineStorage.Parameter(cmd, "s", run.Source);
        EngineStorage.Parameter(cmd, "lo", run.Lo);
        EngineStorage.Parameter(cmd, "hi", run.Hi);
        EngineStorage.Parameter(cmd, "n", run.RangeSize);
        EngineStorage.Parameter(cmd, "t", run.StartedMs);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task FinishRunAsync(string run, long finishedMs, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, "UPDATE grove_msg_migrations SET finished = @t WHERE run = @r");
        EngineStorage.Parameter(cmd, "r", run);
        EngineStorage.Parameter(cmd, "t", finishedMs);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<RangeCheckpoint>> CheckpointsAsync(string run, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, "SELECT k, rows, messages, stored, unmapped, unconverted, missing, filled FROM grove_msg_migration_ranges WHERE run = @r ORDER BY k");
        EngineStorage.Parameter(cmd, "r", run);
        var list = new List<RangeCheckpoint>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new RangeCheckpoint(run, r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7)));
        }

        return list;
    }

    public async Task<(long Messages, long Fields)> CountOriginAsync(string run, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        if (c is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            sqlite.CreateFunction("grove_msg_doc", (object value) => SqlMessageStore.DocumentText(value), isDeterministic: true);
        }

        var fields = storage.Flavor == SqlFlavor.Postgres ? "(SELECT count(*) FROM jsonb_object_keys(doc))" : "(SELECT count(*) FROM json_each(grove_msg_doc(doc)))";
        await using var cmd = EngineStorage.Command(c, null, $"SELECT count(*), coalesce(sum({fields}), 0) FROM grove_msg_messages WHERE origin = @r");
        EngineStorage.Parameter(cmd, "r", run);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture));
    }

    public async Task<long> WriteRangeAsync(RangeCheckpoint checkpoint, IReadOnlyList<NewMessage> messages, Func<Task>? midway, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var stored = c is NpgsqlConnection pg
            ? await CopyAsync(pg, tx, messages, midway, ct)
            : await InsertAsync(c, tx, messages, midway, ct);
        await using (var cmd = EngineStorage.Command(c, tx, """
            INSERT INTO grove_msg_migration_ranges (run, k, rows, messages, stored, unmapped, unconverted, missing, filled)
            VALUES (@r, @k, @rows, @m, @s, @u, @x, @miss, @f)
            """))
        {
            EngineStorage.Parameter(cmd, "r", checkpoint.Run);
            EngineStorage.Parameter(cmd, "k", checkpoint.K);
            EngineStorage.Parameter(cmd, "rows", checkpoint.Rows);
            EngineStorage.Parameter(cmd, "m", checkpoint.Messages);
            EngineStorage.Parameter(cmd, "s", stored);
            EngineStorage.Parameter(cmd, "u", checkpoint.Unmapped);
            EngineStorage.Parameter(cmd, "x", checkpoint.Unconverted);
            EngineStorage.Parameter(cmd, "miss", checkpoint.Missing);
            EngineStorage.Parameter(cmd, "f", checkpoint.Filled);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return stored;
    }

    private static async Task<long> InsertAsync(DbConnection c, DbTransaction tx, IReadOnlyList<NewMessage> messages, Func<Task>? midway, CancellationToken ct)
    {
        await using var cmd = EngineStorage.Command(c, tx, $"""
            INSERT INTO grove_msg_messages ({InsertColumns})
            VALUES (@p, @t, @r, @s, @rev, @k1, @k2, @k3, @k4, @fmt, @doc, @body, @o)
            ON CONFLICT DO NOTHING
            """);
        string[] names = ["p", "t", "r", "s", "rev", "k1", "k2", "k3", "k4", "fmt", "doc", "body", "o"];
        foreach (var n in names)
        {
            EngineStorage.Parameter(cmd, n, null);
        }

        long stored = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            if (i == messages.Count / 2 && midway is not null)
            {
                await midway();
            }

            var m = messages[i];
            var p = cmd.Parameters;
            p[0].Value = m.Partner;
            p[1].Value = m.Type;
            p[2].Value = m.ReceivedMs;
            p[3].Value = (object?)m.SourceId ?? DBNull.Value;
            p[4].Value = m.Revision;
            for (var k = 0; k < 4; k++)
            {
                p[5 + k].Value = (object?)Key(m, k) ?? DBNull.Value;
            }

            p[9].Value = (short)m.Format;
            p[10].Value = m.DocumentCompressed ? m.Document : System.Text.Encoding.UTF8.GetString(m.Document);
            p[11].Value = m.Body;
            p[12].Value = (object?)m.Origin ?? DBNull.Value;
            stored += await cmd.ExecuteNonQueryAsync(ct);
        }

        return stored;
    }

    private static async Task<long> CopyAsync(NpgsqlConnection c, DbTransaction tx, IReadOnlyList<NewMessage> messages, Func<Task>? midway, CancellationToken ct)
    {
        await EngineStorage.ExecAsync(c, tx, """
            CREATE TEMP TABLE IF NOT EXISTS grove_msg_load (
                partner text, type text, received bigint, source_id text, rev bigint,
                k1 text, k2 text, k3 text, k4 text, fmt smallint, doc jsonb, body bytea, origin text) ON COMMIT DELETE ROWS
            """, ct);
        await using (var copy = await c.BeginBinaryImportAsync($"COPY grove_msg_load ({InsertColumns}) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var m in messages)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(m.Partner, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(m.Type, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(m.ReceivedMs, NpgsqlDbType.Bigint, ct);
                await WriteTextAsync(copy, m.SourceId, ct);
                await copy.WriteAsync(m.Revision, NpgsqlDbType.Bigint, ct);
                for (var k = 0; k < 4; k++)
                {
                    await WriteTextAsync(copy, Key(m, k), ct);
                }

                await copy.WriteAsync((short)m.Format, NpgsqlDbType.Smallint, ct);
                await copy.WriteAsync(System.Text.Encoding.UTF8.GetString(m.Document), NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(m.Body, NpgsqlDbType.Bytea, ct);
                await WriteTextAsync(copy, m.Origin, ct);
            }

            await copy.CompleteAsync(ct);
        }

        if (midway is not null)
        {
            await midway();
        }

        await using var insert = EngineStorage.Command(c, tx, $"INSERT INTO grove_msg_messages ({InsertColumns}) SELECT {InsertColumns} FROM grove_msg_load ON CONFLICT DO NOTHING");
        return await insert.ExecuteNonQueryAsync(ct);
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlDbType.Text, ct);

    private static string? Key(NewMessage m, int i) =>
        i < m.Keys.Count && m.Keys[i].Value is { } v ? MessageSchema.KeyTerm(m.Keys[i].Key, v) : null;
}
