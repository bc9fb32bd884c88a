using System.Data.Common;
using System.Globalization;

namespace Grove.Tree.Internal.Parts;

/// <summary>
/// Gives PostgreSQL's committed changes their revisions, after their commits. A commit writes its changes to
/// <c>grove_changes_pending</c> with no lock (so commits from many connections and nodes run side by side); a run then
/// takes the feed's advisory lock (one run at a time across nodes), moves every pending row it sees into
/// <c>grove_changes</c> with the next revisions, in the order of their pending sequence numbers, and commits.
/// </summary>
/// <remarks>
/// Why the order is right: a commit writes its pending rows after its tree rows, so a commit that had to wait for
/// another's row locks writes its pending rows after that one committed and gets larger sequence numbers; commits that
/// touch nothing in common have no order to keep. Why nothing is skipped: a run reads the newest revision after taking
/// the lock, so it sees every earlier run's rows, and a reader sees a run's revisions all at once, when it commits.
/// Calls made while a run is under way wait for the next run (which sees their commits), so one run serves many.
/// </remarks>
internal sealed class ChangeSequencer(EngineStorage engines, long lockKey)
{
    private readonly Lock _gate = new();
    private bool _busy;
    private TaskCompletionSource<long>? _next;

    /// <summary>Raised with the newest revision after each run that moved rows.</summary>
    public event Action<long>? Moved;

    /// <summary>Completes with the newest revision once a run that started after this call has committed.</summary>
    public Task<long> RunAsync()
    {
        TaskCompletionSource<long> first;
        lock (_gate)
        {
            if (_busy)
            {
                _next ??= new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _next.Task;
            }

            _busy = true;
            first = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _ = LoopAsync(first);
        return first.Task;
    }

    /// <summary>True when committed changes wait for their revisions (a node stopped between a commit and its run).</summary>
    public async Task<bool> AnyPendingAsync(CancellationToken ct)
    {
        await using var c = await engines.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, "SELECT EXISTS (SELECT 1 FROM grove_changes_pending)");
        return await cmd.ExecuteScalarAsync(ct) is true;
    }

    private async Task LoopAsync(TaskCompletionSource<long> current)
    {
        while (true)
        {
            try
            {
                var (head, moved) = await MoveAsync(CancellationToken.None);
                if (moved)
                {
                    Moved?.Invoke(head);
                }

                current.TrySetResult(head);
            }
            catch (Exception e)
            {
                current.TrySetException(e);
            }

            lock (_gate)
            {
                if (_next is null)
                {
                    _busy = false;
                    return;
                }

                (current, _next) = (_next, null);
            }
        }
    }

    private async Task<(long Head, bool Moved)> MoveAsync(CancellationToken ct)
    {
        await using var c = await engines.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        // Note that the lock and the move are two statements (one round trip): the move's snapshot must be taken after
        // the lock is held, or it could miss the previous run's revisions. The sequence is set too, for nodes of an
        // older version, which take the same lock and draw revisions from it.
        await using var cmd = EngineStorage.Command(c, tx, $"""
            SELECT pg_advisory_xact_lock({lockKey});
            WITH moved AS (DELETE FROM grove_changes_pending RETURNING seq, kind, path, old_path, id, dir, ver, usr, at),
                 base AS (SELECT greatest(coalesce((SELECT max(rev) FROM grove_changes), 0),
                                          coalesce((SELECT rev FROM grove_changes_floor WHERE k = 1), 0)) AS b),
                 ins AS (INSERT INTO grove_changes (rev, kind, path, old_path, id, dir, ver, usr, at)
                         SELECT base.b + row_number() OVER (ORDER BY m.seq), m.kind, m.path, m.old_path, m.id, m.dir, m.ver, m.usr, m.at
                         FROM moved m CROSS JOIN base
                         RETURNING rev)
            SELECT CASE WHEN max(rev) IS NULL THEN (SELECT b FROM base)
                        ELSE setval(pg_get_serial_sequence('grove_changes', 'rev'), max(rev)) END,
                   count(*)
            FROM ins
            """);
        long head;
        long count;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            await r.NextResultAsync(ct);
            await r.ReadAsync(ct);
            head = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture);
            count = r.GetInt64(1);
        }

        await tx.CommitAsync(CancellationToken.None);
        return (head, count > 0);
    }

    /// <summary>The pending table (PostgreSQL only; SQLite hands out revisions in its one writer's transaction).</summary>
    public static Task CreateTableAsync(SqlFlavor flavor, DbConnection c, DbTransaction tx, CancellationToken ct) =>
        flavor != SqlFlavor.Postgres
            ? Task.CompletedTask
            : EngineStorage.ExecAsync(c, tx, """
                CREATE TABLE grove_changes_pending (seq BIGSERIAL PRIMARY KEY, kind INTEGER NOT NULL, path TEXT NOT NULL,
                    old_path TEXT, id TEXT NOT NULL, dir INTEGER NOT NULL, ver BIGINT NOT NULL, usr TEXT, at BIGINT NOT NULL)
                """, ct);
}
