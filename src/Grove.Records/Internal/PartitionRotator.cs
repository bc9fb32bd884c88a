using System.Globalization;
using Grove.Tree.Storage;
using Npgsql;

namespace Grove.Records.Internal;

/// <summary>
/// Rotation for strategy partitions (PostgreSQL): the main table is <c>PARTITION BY RANGE (cut)</c>, partition k
/// (<c>t__p000k</c>) holding [k·interval, (k+1)·interval), with a default partition (<c>t__p_def</c>) so an insert
/// never fails for want of a range. A run (1) premakes the ranges up to <see cref="Premake"/> beyond the newest row,
/// each in its own transaction (moving any rows of that range out of the default partition, then ATTACH), and (2)
/// detaches the oldest ranges while the newer ones still hold mainRows: each DETACH is one transaction that also lists
/// the table as a history table and drops history tables beyond keep, so a crash leaves every row in exactly one
/// table. No row is copied once its range exists; DDL waits at most <see cref="LockTimeout"/> for its lock.
/// </summary>
internal sealed class PartitionRotator(Db db, ChangeFeed feed, TimeProvider time)
{
    /// <summary>Ranges made ahead of the newest row (pg_partman's default premake).</summary>
    public const int Premake = 4;

    /// <summary>The highest range number (names stay within PostgreSQL's 63 characters).</summary>
    public const long MaxRange = 999_999;

    /// <summary>Ranges created by one run at most (a far outlier must not make millions of tables).</summary>
    public const int MaxNewPerRun = 256;

    public const string LockTimeout = "5s";

    public static string PartitionName(CompiledSet set, long k) => $"{set.Template.Static}__p{k.ToString("D6", CultureInfo.InvariantCulture)}";

    public static string DefaultName(CompiledSet set) => $"{set.Template.Static}__p_def";

    /// <summary>The DDL of the main table's default partition (made with the main table).</summary>
    public static string CreateDefault(CompiledSet set) =>
        $"CREATE TABLE IF NOT EXISTS {EngineStorage.Quote(DefaultName(set))} PARTITION OF {EngineStorage.Quote(set.Template.Static)} DEFAULT";

    public async Task<RotationResult> RunAsync(CompiledSet set, Func<Task<bool>> renew, Action<long>? hook, IProgress<long>? progress, CancellationToken ct)
    {
        var policy = set.History!;
        var (created, complete) = await PremakeAsync(set, policy, renew, ct);
        long moved = 0;
        var dropped = 0;
        foreach (var (table, rows) in await DetachableAsync(set, policy, ct))
        {
            if (!await renew())
            {
                throw new RecordsException(RecordsErrorCode.Busy, $"the rotation lease of '{set.Name}' was lost; another node continues");
            }

            var gone = await DetachAsync(set, policy, table, rows, ct);
            if (gone < 0)
            {
                complete = false;
                break;
            }

            dropped += gone;
            moved += rows;
            hook?.Invoke(moved);
            progress?.Report(moved);
        }

        return new RotationResult(moved, created, dropped, complete, time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    private async Task<(int Created, bool Complete)> PremakeAsync(CompiledSet set, HistoryPolicy policy, Func<Task<bool>> renew, CancellationToken ct)
    {
        var interval = policy.Interval!.Value;
        var cut = EngineStorage.Quote(set.ByName[policy.CutField].ColumnName);
        var main = EngineStorage.Quote(set.Template.Static);
        long? max, min;
        long next;
        await using (var s = await db.BeginReadAsync(ct))
        {
            max = await ScalarAsync(s, $"SELECT max({cut}) FROM {main}", ct);
            min = await ScalarAsync(s, $"SELECT min({cut}) FROM {main}", ct);
            var known = (await SetCatalog.TablesAsync(s, set.Name, ct)).Where(t => t.Kind != RecordTableKind.Main && t.Seq >= 0).ToList();
            next = known.Count > 0 ? known.Max(t => t.Seq) + 1L : Math.Max(0, (min ?? 0) / interval);
        }

        if (max is null)
        {
            return (0, true);
        }

        var last = Math.Min(MaxRange, Math.Max(0, max.Value / interval) + Premake);
        var created = 0;
        for (var k = next; k <= last && created < MaxNewPerRun; k++)
        {
            if (!await renew())
            {
                throw new RecordsException(RecordsErrorCode.Busy, $"the rotation lease of '{set.Name}' was lost; another node continues");
            }

            long lo, hi;
            try
            {
                lo = checked(k * interval);
                hi = checked(lo + interval);
            }
            catch (OverflowException)
            {
                break;
            }

            if (!await CreateRangeAsync(set, cut, k, lo, hi, ct))
            {
                return (created, false);
            }

            created++;
        }

        return (created, next + created > last);
    }

    /// <summary>Makes range k: a standalone table, the range's rows moved out of the default partition, then ATTACH; one transaction.</summary>
    private async Task<bool> CreateRangeAsync(CompiledSet set, string cut, long k, long lo, long hi, CancellationToken ct)
    {
        var q = EngineStorage.Quote;
        var (main, part, def) = (q(set.Template.Static), PartitionName(set, k), q(DefaultName(set)));
        var cols = set.AllColumns;
        await using var s = await db.BeginWriteAsync(ct);
        try
        {
            await ExecAsync(s, $"SET LOCAL lock_timeout = '{LockTimeout}'", ct);
            await ExecAsync(s, $"CREATE TABLE {q(part)} (LIKE {main} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)", ct);
            await ExecAsync(s, $"WITH moved AS (DELETE FROM {def} WHERE {cut} >= {lo} AND {cut} < {hi} RETURNING {cols}) INSERT INTO {q(part)} ({cols}) SELECT {cols} FROM moved", ct);
            await ExecAsync(s, $"ALTER TABLE {main} ATTACH PARTITION {q(part)} FOR VALUES FROM ({lo}) TO ({hi})", ct);
            await using (var reg = Db.Command(s, """
                INSERT INTO grove_record_tables (set_name, table_name, kind, seq, moved, created) VALUES (@p0, @p1, 'partition', @p2, 0, @p3)
                """, set.Name, part, (int)k, time.GetUtcNow().ToUnixTimeMilliseconds()))
            {
                await reg.ExecuteNonQueryAsync(ct);
            }

            await s.CommitAsync(ct);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            return false; // Note that the next run retries; nothing of this range was committed.
        }
    }

    /// <summary>The attached ranges to detach, oldest first, with their rows: those older than the newest ranges (and the default partition) that hold mainRows.</summary>
    private async Task<List<(string Table, long Rows)>> DetachableAsync(CompiledSet set, HistoryPolicy policy, CancellationToken ct)
    {
        await using var s = await db.BeginReadAsync(ct);
        var ranges = (await SetCatalog.TablesAsync(s, set.Name, ct)).Where(t => t.Kind == RecordTableKind.Partition && t.Seq >= 0).OrderByDescending(t => t.Seq).ToList();
        var kept = await ScalarAsync(s, $"SELECT count(*) FROM {EngineStorage.Quote(DefaultName(set))}", ct) ?? 0;
        var old = new List<(string, long)>();
        foreach (var t in ranges)
        {
            var rows = await ScalarAsync(s, $"SELECT count(*) FROM {EngineStorage.Quote(t.Name)}", ct) ?? 0;
            if (kept >= policy.MainRows)
            {
                old.Add((t.Name, rows));
            }
            else
            {
                kept += rows;
            }
        }

        old.Reverse();
        return old;
    }

    /// <summary>Detaches one range into a history table and applies retention; the tables dropped, or -1 when the lock was not had in time.</summary>
    private async Task<int> DetachAsync(CompiledSet set, HistoryPolicy policy, string table, long rows, CancellationToken ct)
    {
        var q = EngineStorage.Quote;
        await using var s = await db.BeginWriteAsync(ct);
        var dropped = 0;
        try
        {
            await ExecAsync(s, $"SET LOCAL lock_timeout = '{LockTimeout}'", ct);
            await ExecAsync(s, $"ALTER TABLE {q(set.Template.Static)} DETACH PARTITION {q(table)}", ct);
            await using (var up = Db.Command(s, "UPDATE grove_record_tables SET kind = 'history', moved = @p0 WHERE set_name = @p1 AND table_name = @p2", rows, set.Name, table))
            {
                await up.ExecuteNonQueryAsync(ct);
            }

            await SetCatalog.RangeAsync(s, set, table, ct);

            foreach (var old in (await SetCatalog.TablesAsync(s, set.Name, ct)).Where(t => t.Kind == RecordTableKind.History).OrderByDescending(t => t.Seq).Skip(policy.Keep))
            {
                await ExecAsync(s, $"DROP TABLE IF EXISTS {q(old.Name)}", ct);
                await using var del = Db.Command(s, "DELETE FROM grove_record_tables WHERE set_name = @p0 AND table_name = @p1", set.Name, old.Name);
                await del.ExecuteNonQueryAsync(ct);
                dropped++;
            }

            if (dropped > 0)
            {
                await feed.PublishAllAsync(s, set.Name, ct);
            }

            await s.CommitAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            return -1;
        }

        if (dropped > 0)
        {
            feed.Committed(HotCache.Key(set.Name, "*"));
        }

        return dropped;
    }

    private static async Task ExecAsync(Session s, string sql, CancellationToken ct) => await EngineStorage.ExecAsync(s.Connection, s.Transaction, sql, ct);

    private static async Task<long?> ScalarAsync(Session s, string sql, CancellationToken ct)
    {
        await using var cmd = Db.Command(s, sql);
        return await cmd.ExecuteScalarAsync(ct) is { } v and not DBNull ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : null;
    }
}
