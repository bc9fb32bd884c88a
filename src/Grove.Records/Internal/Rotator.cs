using System.Collections.Concurrent;
using Grove.Tree;
using Grove.Tree.Storage;

namespace Grove.Records.Internal;

/// <summary>
/// Moves the oldest rows beyond mainRows (by cutField, then key) into the current history table, one committed batch
/// at a time: each batch finds its upper bound (the batch's last row), then copies and deletes the rows up to it and
/// counts them into the history table's row, all in one transaction, so a crash at any point leaves every row in
/// exactly one table. A full history table starts the next one; retention drops tables beyond keep. One rotator per
/// set across nodes (a lease from <see cref="TreeService.Locks"/>), renewed after every batch.
/// </summary>
internal sealed class Rotator(Db db, SetCatalog catalog, ChangeFeed feed, LockManager locks, RecordsOptions options, TimeProvider time)
{
    private readonly PartitionRotator _partitions = new(db, feed, time);

    private readonly ConcurrentDictionary<string, RotationResult> _last = new(StringComparer.Ordinal);

    public Action<long>? BatchHook { get; set; }

    public RotationResult? Status(string set) => _last.TryGetValue(set, out var r) ? r : null;

    public async Task RunScheduleAsync(TimeSpan every, Func<CancellationToken, Task<IReadOnlyList<string>>> names, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(every, time, ct);
            foreach (var name in await names(ct))
            {
                try
                {
                    var set = await catalog.GetAsync(name, ct);
                    if (set.History is not null)
                    {
                        await RotateAsync(set, wait: false, null, ct);
                    }
                }
                catch (Exception e) when (e is RecordsException or TreeException or System.Data.Common.DbException)
                {
                    // Note that the next round retries; rotation is resumable by construction.
                }
            }
        }
    }

    public async Task<RotationResult> RotateAsync(CompiledSet set, bool wait, IProgress<long>? progress, CancellationToken ct)
    {
        var policy = set.History ?? throw RecordsException.Argument($"record set '{set.Name}' has no history policy");
        var name = "records.rotate." + set.Name;
        await using var held = wait
            ? await locks.AcquireAsync(name, options.RotationLease, TimeSpan.FromSeconds(30), ct)
            : await locks.TryAcquireAsync(name, options.RotationLease, ct);
        if (held is null)
        {
            return _last.GetValueOrDefault(set.Name) ?? new RotationResult(0, 0, 0, false, 0);
        }

        if (policy.Strategy == HistoryStrategy.Partitions)
        {
            var result = await _partitions.RunAsync(set, async () => await held.RenewAsync(options.RotationLease, ct), BatchHook, progress, ct);
            _last[set.Name] = result;
            return result;
        }

        long moved = 0;
        int created = 0, dropped = 0;
        var main = set.Template.Static;
        var q = EngineStorage.Quote;
        var excess = await CountAsync(main, ct) - policy.MainRows;
        var size = Math.Min(options.RotationBatchRows, 1_000);
        var lastBatch = TimeSpan.Zero;
        var lastRows = 0;
        var renewed = time.GetTimestamp();
        while (excess > 0)
        {
            ct.ThrowIfCancellationRequested();

            // Note that a renewal is a commit of its own: batches of ~20 ms renew once a quarter of the lease has passed, not each time.
            if (time.GetElapsedTime(renewed) >= options.RotationLease / 4)
            {
                if (!await held.RenewAsync(options.RotationLease, ct))
                {
                    throw new RecordsException(RecordsErrorCode.Busy, $"the rotation lease of '{set.Name}' was lost; another node continues");
                }

                renewed = time.GetTimestamp();
            }

            if (db.WritersBusy && lastBatch > TimeSpan.Zero)
            {
                // Note that other writers queued behind the last batch: they get a window as long as it was before
                // this one queues again (a rotation takes at most about half of a busy write lock), and the next
                // batch is sized to hold the lock about RotationBatchTime.
                size = Math.Min(size, NextSize(lastRows, lastBatch));
                await Task.Delay(lastBatch, TimeProvider.System, ct);
            }

            await using var s = await db.BeginWriteAsync(ct);
            var started = TimeProvider.System.GetTimestamp();
            var current = (await SetCatalog.TablesAsync(s, set.Name, ct)).Where(t => t.Kind == RecordTableKind.History).MaxBy(t => t.Seq);
            if (current is null || current.Moved >= policy.TableRows)
            {
                var seq = (current?.Seq ?? 0) + 1;
                var table = set.HistoryTable(seq);
                foreach (var sql in Ddl.CreateTable(set, table, db.Flavor, history: true))
                {
                    await EngineStorage.ExecAsync(s.Connection, s.Transaction, sql, ct);
                }

                await catalog.RegisterAsync(s, set.Name, table, RecordTableKind.History, seq, ct, ranged: set.IntegerKeyed);
                var gone = await RetainAsync(s, set, seq, policy.Keep, ct);
                await s.CommitAsync(ct);
                if (gone > 0)
                {
                    feed.Committed(HotCache.Key(set.Name, "*"));
                }

                dropped += gone;
                created++;
                continue;
            }

            var take = (int)Math.Min(Math.Min(size, excess), policy.TableRows - current.Moved);
            var order = new[] { set.ByName[policy.CutField] }.Concat(set.Pks.Where(p => p.Name != policy.CutField)).ToList();
            var orderBy = string.Join(", ", order.Select(f => q(f.ColumnName)));
            var bound = new object[order.Count];
            await using (var b = Db.Command(s, $"SELECT {orderBy} FROM {q(main)} ORDER BY {orderBy} LIMIT 1 OFFSET {take - 1}"))
            await using (var r = await b.ExecuteReaderAsync(ct))
            {
                if (!await r.ReadAsync(ct))
                {
                    break;
                }

                r.GetValues(bound);
            }

            var upTo = $"({orderBy}) <= ({string.Join(", ", order.Select((_, i) => "@p" + i))})";
            var (n, min, max) = db.IsPostgres
                ? await MovePostgresAsync(s, set, main, current.Name, upTo, bound, ct)
                : await MoveSqliteAsync(s, set, main, current.Name, upTo, bound, ct);
            await SetCatalog.MovedInAsync(s, set, current.Name, n, min, max, ct);

            // Note that writers waiting now waited for this batch: the next is sized to hold the lock about
            // RotationBatchTime; with none, batches grow to RotationBatchRows (on SQLite a big batch writes each
            // random index page once for many rows, several times faster per row).
            var contended = db.WritersWaiting > 0;
            await s.CommitAsync(ct);
            lastBatch = TimeProvider.System.GetElapsedTime(started);
            size = contended ? NextSize(n, lastBatch) : (int)Math.Min(options.RotationBatchRows, 2L * size);
            lastRows = n;
            moved += n;
            excess -= n;
            BatchHook?.Invoke(moved);
            progress?.Report(moved);
        }

        var done = new RotationResult(moved, created, dropped, excess <= 0, time.GetUtcNow().ToUnixTimeMilliseconds());
        _last[set.Name] = done;
        return done;
    }

    /// <summary>The next batch's rows: as many as the last batch's rate moves in <see cref="RecordsOptions.RotationBatchTime"/>, within bounds.</summary>
    private int NextSize(int rows, TimeSpan took)
    {
        var floor = Math.Min(options.RotationBatchRows, 100);
        var rate = rows / Math.Max(took.TotalMilliseconds, 0.1);
        return (int)Math.Clamp(rate * options.RotationBatchTime.TotalMilliseconds, floor, options.RotationBatchRows);
    }

    /// <summary>Moves the rows up to the bound in one statement (so a row inserted meanwhile is never deleted uncopied); the count and first-key range of what moved.</summary>
    private static async Task<(int Rows, long Min, long Max)> MovePostgresAsync(Session s, CompiledSet set, string main, string history, string upTo, object[] bound, CancellationToken ct)
    {
        var q = EngineStorage.Quote;
        var cols = set.AllColumns;
        var k = q(set.Pks[0].ColumnName);
        var range = set.IntegerKeyed ? $"MIN({k})::bigint, MAX({k})::bigint" : "0::bigint, 0::bigint";
        await using var move = Db.Command(s, $"""
            WITH moved AS (DELETE FROM {q(main)} WHERE {upTo} RETURNING {cols}),
                 copied AS (INSERT INTO {q(history)} ({cols}) SELECT {cols} FROM moved)
            SELECT COUNT(*)::int, {range} FROM moved
            """, bound);
        return await MovedAsync(move, set, ct);
    }

    /// <summary>Copies then deletes the rows up to the bound; the write transaction holds SQLite's only write lock, so nothing changes between the statements.</summary>
    private static async Task<(int Rows, long Min, long Max)> MoveSqliteAsync(Session s, CompiledSet set, string main, string history, string upTo, object[] bound, CancellationToken ct)
    {
        var q = EngineStorage.Quote;
        var cols = set.AllColumns;
        var k = q(set.Pks[0].ColumnName);
        await using var scan = Db.Command(s, $"SELECT COUNT(*), {(set.IntegerKeyed ? $"MIN({k}), MAX({k})" : "0, 0")} FROM {q(main)} WHERE {upTo}", bound);
        var (n, min, max) = await MovedAsync(scan, set, ct);
        await using var copy = Db.Command(s, $"INSERT INTO {q(history)} ({cols}) SELECT {cols} FROM {q(main)} WHERE {upTo}", bound);
        await using var delete = Db.Command(s, $"DELETE FROM {q(main)} WHERE {upTo}", bound);
        try
        {
            if (await copy.ExecuteNonQueryAsync(ct) != n || await delete.ExecuteNonQueryAsync(ct) != n)
            {
                throw new InvalidOperationException("rotation copied and deleted different row counts");
            }
        }
        catch (Exception e) when (Db.Map(e, set.Name) is { Code: RecordsErrorCode.DuplicateKey })
        {
            throw Stopped(set, e);
        }

        return (n, min, max);
    }

    private static async Task<(int Rows, long Min, long Max)> MovedAsync(System.Data.Common.DbCommand cmd, CompiledSet set, CancellationToken ct)
    {
        try
        {
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            var n = Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            return n == 0 ? (0, 0, 0) : (n, r.GetInt64(1), r.GetInt64(2));
        }
        catch (Exception e) when (Db.Map(e, set.Name) is { Code: RecordsErrorCode.DuplicateKey })
        {
            throw Stopped(set, e);
        }
    }

    private static RecordsException Stopped(CompiledSet set, Exception e) =>
        new(RecordsErrorCode.Conflict, $"rotation of '{set.Name}' stopped: a key of the main table is already in the current history table (nothing of this batch moved)", inner: e);

    private async Task<int> RetainAsync(Session s, CompiledSet set, int newest, int keep, CancellationToken ct)
    {
        var dropped = 0;
        foreach (var t in (await SetCatalog.TablesAsync(s, set.Name, ct)).Where(t => t.Kind == RecordTableKind.History && t.Seq <= newest - keep))
        {
            await EngineStorage.ExecAsync(s.Connection, s.Transaction, $"DROP TABLE IF EXISTS {EngineStorage.Quote(t.Name)}", ct);
            await using var del = Db.Command(s, "DELETE FROM grove_record_tables WHERE set_name = @p0 AND table_name = @p1", set.Name, t.Name);
            await del.ExecuteNonQueryAsync(ct);
            dropped++;
        }

        if (dropped > 0)
        {
            await feed.PublishAllAsync(s, set.Name, ct);
        }

        return dropped;
    }

    private async Task<long> CountAsync(string table, CancellationToken ct)
    {
        await using var s = await db.BeginReadAsync(ct);
        await using var cmd = Db.Command(s, $"SELECT COUNT(*) FROM {EngineStorage.Quote(table)}");
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
