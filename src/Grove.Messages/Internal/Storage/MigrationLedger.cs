using System.Data.Common;
using Grove.Tree.Storage;

namespace Grove.Messages.Internal.Storage;

/// <summary>
/// A migration's ledger in the engine's own tables: its runs and the ranges each committed (a range's checkpoint is
/// written in the transaction that stores its messages, through the records engine).
/// </summary>
internal sealed class MigrationLedger(EngineStorage storage)
{
    public async Task<MigrationRun?> GetRunAsync(string run, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, "SELECT source, lo, hi, range_size, started, finished FROM grove_msg_migrations WHERE run = @r", ("r", run));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new MigrationRun(run, r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.IsDBNull(5) ? null : r.GetInt64(5))
            : null;
    }

    public async Task SaveRunAsync(MigrationRun run, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, "INSERT INTO grove_msg_migrations (run, source, lo, hi, range_size, started) VALUES (@r, @s, @lo, @hi, @n, @t) ON CONFLICT DO NOTHING",
            ("r", run.Run), ("s", run.Source), ("lo", run.Lo), ("hi", run.Hi), ("n", run.RangeSize), ("t", run.StartedMs));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task FinishRunAsync(string run, long finishedMs, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, "UPDATE grove_msg_migrations SET finished = @t WHERE run = @r", ("r", run), ("t", finishedMs));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<RangeCheckpoint>> CheckpointsAsync(string run, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, "SELECT k, rows, messages, stored, unmapped, unconverted, missing, filled FROM grove_msg_migration_ranges WHERE run = @r ORDER BY k", ("r", run));
        var list = new List<RangeCheckpoint>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new RangeCheckpoint(run, r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7)));
        }

        return list;
    }

    /// <summary>Records a committed range, in the transaction that wrote its messages.</summary>
    public static async Task WriteCheckpointAsync(DbConnection c, DbTransaction tx, RangeCheckpoint checkpoint, CancellationToken ct)
    {
        await using var cmd = EngineStorage.Command(c, tx, """
            INSERT INTO grove_msg_migration_ranges (run, k, rows, messages, stored, unmapped, unconverted, missing, filled)
            VALUES (@r, @k, @rows, @m, @s, @u, @x, @miss, @f)
            """, ("r", checkpoint.Run), ("k", checkpoint.K), ("rows", checkpoint.Rows), ("m", checkpoint.Messages), ("s", checkpoint.Stored),
            ("u", checkpoint.Unmapped), ("x", checkpoint.Unconverted), ("miss", checkpoint.Missing), ("f", checkpoint.Filled));
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
