using System.Data.Common;
using System.Globalization;

namespace Grove.Tree.Internal.Parts;

/// <summary>A change described by the part that makes it, before the log gives it a revision.</summary>
internal readonly record struct PendingChange(ChangeKind Kind, string Path, string? OldPath, string Id, bool IsDir, long Version, string? User);

/// <summary>
/// The tree's change feed: a durable table (<c>grove_changes</c>) in the store's database, written in the same
/// transaction as the rows when the change is in the root index of a SQL store, else right after the commit. Revisions
/// are handed out in commit order: SQLite has one writer, which draws them in its transaction; on PostgreSQL a commit
/// writes its changes to a pending table without a lock and <see cref="ChangeSequencer"/> numbers them after the commit
/// (so commits from many connections and nodes do not wait for each other). Retention keeps the newest revisions; a
/// reader older than what is kept is told to resync. Other nodes are woken through the bus topic <c>tree-changes</c>.
/// </summary>
internal sealed class ChangeLog : IDisposable
{
    public const string Topic = "tree-changes";
    private const long PgLockKey = 0x67726F7665636867;
    private readonly EngineStorage _engines;
    private readonly IClusterBus _bus;
    private readonly IIndexer _main;
    private readonly TimeProvider _time;
    private readonly long _retention;
    private readonly IDisposable? _subscription;
    private readonly ChangeRows _rows;
    private readonly ChangeSequencer? _sequencer;
    private readonly CommitHooks _hooks = new();
    private readonly AfterCommitWriter _afterCommit;
    private readonly PendingFeedMover _pending;
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _head;
    private long _lastTrim;
    private int _trimming;

    private ChangeLog(EngineStorage engines, IClusterBus bus, IIndexer main, TimeProvider time, long retention)
    {
        _engines = engines;
        _bus = bus;
        _main = main;
        _time = time;
        _retention = retention;
        _rows = new ChangeRows(engines.Flavor);
        _afterCommit = new AfterCommitWriter(engines);
        _pending = new PendingFeedMover(engines, _rows, _afterCommit, MovedAsync);
        if (retention > 0)
        {
            _subscription = bus.Subscribe(Topic, OnBus);
        }

        if (engines.Flavor == SqlFlavor.Postgres)
        {
            _sequencer = new ChangeSequencer(engines, PgLockKey);
            _sequencer.Moved += OnMoved;
        }
    }

    public bool Enabled => _retention > 0;

    public long Head => Interlocked.Read(ref _head);

    private bool Pg => _engines.Flavor == SqlFlavor.Postgres;

    public static async Task<ChangeLog> OpenAsync(EngineStorage engines, IClusterBus bus, IIndexer main, TimeProvider time, long retention, CancellationToken ct)
    {
        var log = new ChangeLog(engines, bus, main, time, retention);
        if (retention <= 0)
        {
            return log;
        }

        var serial = engines.Flavor == SqlFlavor.Postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
        await engines.MigrateAsync("tree-changes", [SchemaMigration.Sql(1, "change feed", $"""
            CREATE TABLE grove_changes (rev {serial}, kind INTEGER NOT NULL, path TEXT NOT NULL, old_path TEXT,
                id TEXT NOT NULL, dir INTEGER NOT NULL, ver BIGINT NOT NULL, usr TEXT, at BIGINT NOT NULL);
            CREATE TABLE grove_changes_floor (k INTEGER PRIMARY KEY, rev BIGINT NOT NULL);
            INSERT INTO grove_changes_floor (k, rev) VALUES (1, 0)
            """), new SchemaMigration(2, "change feed without AUTOINCREMENT on SQLite", (c, tx, token) => ChangeRows.DropAutoincrementAsync(engines.Flavor, c, tx, token)),
            new SchemaMigration(3, "pending changes numbered after their commit on PostgreSQL", (c, tx, token) => ChangeSequencer.CreateTableAsync(engines.Flavor, c, tx, token)),
            new SchemaMigration(4, "entries moved from indexes that keep them beside their rows", PendingFeedMover.CreateTableAsync)], ct);
        if (log._sequencer is { } sequencer)
        {
            // Note that a node stopped between a commit and its run left changes waiting: they are numbered now.
            await sequencer.RunAsync();
        }

        if (log.Pg)
        {
            // Note that only PostgreSQL stores leave entries in the indexes that keep them: SQLite needs no log name (no write at open).
            await log._pending.OpenAsync(ct);
        }

        var (floor, max) = await log.BoundsAsync(ct);
        log._head = Math.Max(floor, max);
        log._lastTrim = log._head;
        return log;
    }

    /// <summary>
    /// Commits <paramref name="set"/> in <paramref name="ctx"/>'s index with its changes logged: in the same
    /// transaction when the index is the store's SQL root index, else just after it.
    /// </summary>
    public async Task CommitAsync(MountContext ctx, ChangeSet set, IReadOnlyList<PendingChange> changes, CancellationToken ct)
    {
        var hooks = _hooks.Current;
        if ((!Enabled && hooks.Length == 0) || changes.Count == 0)
        {
            await ctx.Indexer.CommitAsync(set, ct);
            return;
        }

        var at = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var extra = new List<Func<DbConnection, DbTransaction?, CancellationToken, Task>>();
        var statements = new List<EngineStatement>();
        if (hooks.Length > 0)
        {
            var described = changes.Select(c => new TreeChange(0, c.Kind, c.Path, c.OldPath, c.Id, c.IsDir, c.Version, c.User, at)).ToList();
            foreach (var hook in hooks)
            {
                if (await hook.BeforeCommitAsync(described, ct) is { } step)
                {
                    statements.AddRange(step.Statements);
                    if (step.Run is { } run)
                    {
                        extra.Add(run);
                    }
                }
            }

            changes = await CommitHooks.LoggedAsync(hooks, changes, described, ct);
        }

        long last = 0;
        var logs = Enabled && changes.Count > 0;
        async Task RunAsync(DbConnection c, DbTransaction? tx, CancellationToken token)
        {
            foreach (var sql in extra)
            {
                await sql(c, tx, token);
            }

            if (logs)
            {
                last = await _rows.InsertAsync(c, tx, changes, at, token);
            }
        }

        if (ReferenceEquals(ctx.Indexer, _main) && _main.Capabilities.HasFlag(IndexerCapabilities.SqlStatements))
        {
            // Note that statements ride in the rows' batch; only code (and the feed's rows) needs the set's block.
            set.Statements.AddRange(statements);
            if (extra.Count > 0 || logs)
            {
                var before = set.Sql;
                set.Sql = async (c, tx, token) =>
                {
                    if (before is not null)
                    {
                        await before(c, tx, token);
                    }

                    await RunAsync(c, tx, token);
                };
            }

            await ctx.Indexer.CommitAsync(set, ct);
        }
        else if (extra.Count == 0 && statements.Count == 0 && !logs)
        {
            await ctx.Indexer.CommitAsync(set, ct);
        }
        else if (extra.Count == 0 && statements.Count == 0 && Pg && ctx.Indexer is IPendingFeed feed)
        {
            // Note that the index keeps the entry in the commit's own atomic step and the mover logs it right after:
            // the commit answers after one write, and a crash between the two leaves the entry waiting, not lost. On
            // SQLite the entry's one local INSERT after the commit costs less CPU than the move would (two builds
            // measured: 134-175 against 363-537 µs per create on a loaded machine), so it stays on the commit's path.
            var entry = new FeedEntry(_pending.Log, PendingFeedCodec.Encode(changes, at), _pending.Taken(feed));
            set.Feed = entry;
            await ctx.Indexer.CommitAsync(set, ct);
            _pending.Committed(feed, entry);
            return;
        }
        else
        {
            await ctx.Indexer.CommitAsync(set, ct);

            // Note that the change is committed: the log entry must not be lost to the caller giving up now.
            await _afterCommit.RunAsync(async (c, tx) =>
            {
                try
                {
                    foreach (var statement in statements)
                    {
                        await statement.RunAsync(c, tx, CancellationToken.None);
                    }
                }
                catch (StatementRefusedException e)
                {
                    throw e.Refusal;
                }

                await RunAsync(c, tx, CancellationToken.None);
            }, oneStatement: statements.Count == 0 && extra.Count == 0 && changes.Count == 1);
        }

        if (!Enabled || changes.Count == 0)
        {
            return;
        }

        if (_sequencer is not null)
        {
            await SequenceAsync();
            MaybeTrim();
            return;
        }

        Advance(last);
        try
        {
            await _bus.PublishAsync(Topic, last.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            // Note that other nodes also poll: a lost wake-up delays them, it loses nothing.
        }

        MaybeTrim();
    }

    /// <summary>
    /// Numbers this commit's pending changes (and any others') before the commit returns, so that a caller reading the
    /// feed next sees them. Note that the commit itself is done: a failed run loses nothing, the next one numbers them.
    /// </summary>
    private async Task SequenceAsync()
    {
        try
        {
            await _sequencer!.RunAsync();
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
        }
    }

    private void OnMoved(long head)
    {
        Advance(head);
        _ = PublishAsync(head);
    }

    private async Task PublishAsync(long head)
    {
        try
        {
            await _bus.PublishAsync(Topic, head.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            // Note that other nodes also poll: a lost wake-up delays them, it loses nothing.
        }
    }

    /// <summary>Changes after <paramref name="after"/> under <paramref name="root"/>, reading at most <paramref name="limit"/> revisions.</summary>
    public async Task<ChangePage> ReadAsync(string root, long after, int limit, CancellationToken ct)
    {
        if (!Enabled)
        {
            throw new TreeException(TreeErrorCode.NotSupported, "the change feed is off (ChangeRetention is 0)");
        }

        limit = Math.Clamp(limit, 1, 10_000);
        // Note that a reader sees every change this process answered, also those in indexes that keep their entries.
        await _pending.SettleAsync();

        if (_sequencer is not null && after >= Head && await _sequencer.AnyPendingAsync(ct))
        {
            // Note that a caught-up reader numbers changes a stopped node left waiting, so they are not held back until the next commit.
            await SequenceAsync();
        }

        await using var c = await _engines.OpenConnectionAsync(ct);
        var (floor, max) = await BoundsAsync(c, ct);
        var head = Math.Max(floor, max);
        Advance(head);
        if (after < floor || after > head)
        {
            return new ChangePage([], head, Resync: true);
        }

        var list = new List<TreeChange>();
        var last = after;
        await using var cmd = EngineStorage.Command(c, null, "SELECT rev, kind, path, old_path, id, dir, ver, usr, at FROM grove_changes WHERE rev > @r ORDER BY rev LIMIT @n");
        EngineStorage.Parameter(cmd, "r", after);
        EngineStorage.Parameter(cmd, "n", limit);
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var change = new TreeChange(r.GetInt64(0), (ChangeKind)r.GetInt32(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                    r.GetString(4), r.GetInt32(5) != 0, r.GetInt64(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetInt64(8));
                last = change.Revision;
                if (change.IsUnder(root))
                {
                    list.Add(change);
                }
            }
        }

        // Note that rows trimmed while this page was read would leave a hole: look again at the floor.
        var (floorAfter, _) = await BoundsAsync(c, ct);
        return after < floorAfter ? new ChangePage([], head, Resync: true) : new ChangePage(list, last, Resync: false);
    }

    /// <summary>Completes when a revision after <paramref name="after"/> may exist, or after <paramref name="max"/>.</summary>
    public async Task WaitAsync(long after, TimeSpan max, CancellationToken ct)
    {
        var signal = Volatile.Read(ref _signal).Task;
        if (Head > after)
        {
            return;
        }

        try
        {
            await signal.WaitAsync(max, _time, ct);
        }
        catch (TimeoutException)
        {
            // Note that readers poll too: a wake-up lost on the bus costs one interval.
        }
    }

    private void OnBus(BusMessage m)
    {
        if (!m.Resync && long.TryParse(m.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var rev))
        {
            Advance(rev);
        }
        else
        {
            Pulse();
        }
    }

    private void Advance(long rev)
    {
        var seen = Interlocked.Read(ref _head);
        while (rev > seen)
        {
            var was = Interlocked.CompareExchange(ref _head, rev, seen);
            if (was == seen)
            {
                Pulse();
                return;
            }

            seen = was;
        }
    }

    private void Pulse() => Interlocked.Exchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private void MaybeTrim()
    {
        var head = Head;
        if (head - Interlocked.Read(ref _lastTrim) < Math.Max(256, _retention / 10) || Interlocked.Exchange(ref _trimming, 1) == 1)
        {
            return;
        }

        Interlocked.Exchange(ref _lastTrim, head);
        _ = Task.Run(async () =>
        {
            try
            {
                await TrimAsync(head - _retention, CancellationToken.None);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
            {
                // Note that trimming is retried after the next batch of revisions.
            }
            finally
            {
                Interlocked.Exchange(ref _trimming, 0);
            }
        });
    }

    /// <summary>Drops revisions up to <paramref name="cut"/> and raises the floor, in one transaction.</summary>
    public async Task TrimAsync(long cut, CancellationToken ct)
    {
        if (cut <= 0)
        {
            return;
        }

        await using var c = await _engines.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await using (var del = EngineStorage.Command(c, tx, "DELETE FROM grove_changes WHERE rev <= @c"))
        {
            EngineStorage.Parameter(del, "c", cut);
            await del.ExecuteNonQueryAsync(ct);
        }

        await using (var up = EngineStorage.Command(c, tx, "UPDATE grove_changes_floor SET rev = @c WHERE k = 1 AND rev < @c"))
        {
            EngineStorage.Parameter(up, "c", cut);
            await up.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }

    private async Task<(long Floor, long Max)> BoundsAsync(CancellationToken ct)
    {
        await using var c = await _engines.OpenConnectionAsync(ct);
        return await BoundsAsync(c, ct);
    }

    private static async Task<(long Floor, long Max)> BoundsAsync(DbConnection c, CancellationToken ct)
    {
        await using var cmd = EngineStorage.Command(c, null, "SELECT (SELECT rev FROM grove_changes_floor WHERE k = 1), (SELECT max(rev) FROM grove_changes)");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (r.IsDBNull(0) ? 0 : r.GetInt64(0), r.IsDBNull(1) ? 0 : r.GetInt64(1));
    }

    public IDisposable AddHook(ITreeCommitHook hook) => _hooks.Add(hook);

    /// <summary>
    /// Moves the entries an index opened just now keeps (left by a process stopped after a commit), in the background;
    /// on PostgreSQL stores, the only ones whose commits leave entries there.
    /// </summary>
    public void Opened(IIndexer index)
    {
        if (Enabled && Pg && index is IPendingFeed feed)
        {
            _pending.Recover(feed);
        }
    }

    /// <summary>Moves what a closing index still keeps before it closes.</summary>
    public Task ClosingAsync(IIndexer index) => Enabled && Pg && index is IPendingFeed feed ? _pending.ForgetAsync(feed) : Task.CompletedTask;

    /// <summary>Completes when the moves under way have ended (before the store closes).</summary>
    public Task SettleAsync() => _pending.SettleAsync();

    private async Task MovedAsync(long last)
    {
        if (_sequencer is not null)
        {
            await SequenceAsync();
            MaybeTrim();
            return;
        }

        if (last == 0)
        {
            return;
        }

        Advance(last);
        await PublishAsync(last);
        MaybeTrim();
    }

    /// <summary>Closes the connection kept for appends after commits outside the root index, unless it is in use.</summary>
    public ValueTask TrimAsync(CancellationToken ct) => _afterCommit.TrimAsync(ct);

    public void Dispose()
    {
        _subscription?.Dispose();
        _afterCommit.Dispose();
    }
}
