using System.Data.Common;
using Grove.Tree.Storage;

namespace Grove.Queues.Internal;

/// <summary>
/// Keeps the message table in step with the files, in the same transaction as the change where the store allows: a
/// file created in (or moved into) a queue directory is enqueued; one deleted or moved out of it is dequeued; one
/// renamed inside it keeps its place. A queue on Redis (<see cref="RedisQueues"/>) is kept in step just after the
/// commit instead (a Redis index commits on its own): the step then talks to Redis, not to the connection it is given.
/// </summary>
internal sealed class QueueHook(TreeService tree, RedisQueues redis) : ITreeCommitHook
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _parsed = new(StringComparer.Ordinal);

    /// <summary>
    /// A message's own changes — a file created, written, deleted or renamed directly inside a queue directory (push,
    /// ack, rename) — are queue state, not changes of the tree: they stay out of the change feed. A move across a
    /// queue's boundary (into <c>.dead</c>, out to another directory) and the queue directory itself stay in it.
    /// </summary>
    public async ValueTask<bool> KeepsOutOfFeedAsync(TreeChange change, CancellationToken ct) =>
        !change.IsDir
        && await QueueOfAsync(Parent(change.Path), ct) is { } queue
        && (change.OldPath is null || Parent(change.OldPath) == queue.Path);

    public async ValueTask<TreeCommitStep?> BeforeCommitAsync(IReadOnlyList<TreeChange> changes, CancellationToken ct)
    {
        // Note that the table's statements ride in the change's own batch; only Redis needs code (run after its commit).
        var sql = new TreeCommitStep();
        var steps = new List<Func<DbConnection, DbTransaction?, CancellationToken, Task>>();
        var slot = PushSlot.Current.Value;
        foreach (var c in changes)
        {
            if (c.IsDir)
            {
                if (c.Kind == ChangeKind.Meta && await redis.RegistrationAsync(c.Path, c.Id, ct) is { } register)
                {
                    steps.Add((_, _, _) => register());
                }

                if (c.Kind == ChangeKind.Delete)
                {
                    sql.Statements.Add(new EngineStatement("DELETE FROM grove_mq WHERE queue = @q", ("q", c.Id)));
                    if (await redis.OfDeletedAsync(c.Path, c.Id, ct) is { } gone)
                    {
                        steps.Add((_, _, _) => gone.DeleteAsync());
                    }
                }

                continue;
            }

            var into = c.Kind is ChangeKind.Create or ChangeKind.Move ? await QueueOfAsync(Parent(c.Path), ct) : null;
            var from = c.Kind is ChangeKind.Delete ? await QueueOfAsync(Parent(c.Path), ct)
                : c.Kind is ChangeKind.Move && c.OldPath is not null ? await QueueOfAsync(Parent(c.OldPath), ct) : null;
            var name = c.Path[(c.Path.LastIndexOf('/') + 1)..];
            var redisFrom = from is null ? null : await redis.OfAsync(from, ct);
            var redisInto = into is null ? null : await redis.OfAsync(into, ct);
            if (from is not null && into is not null && from.Id == into.Id && redisInto is not null)
            {
                continue; // Note that an entry names its file by id: a rename inside the queue keeps its place.
            }

            if (redisFrom is not null)
            {
                // Note that the number of a message pushed by script is in its row: read it before the commit removes it.
                var n = await redisFrom.NumberInRowAsync(c.Id);
                steps.Add((_, _, _) => redisFrom.RemoveAsync(c.Id, n));
                from = null;
            }

            if (redisInto is not null && into is not null)
            {
                var queueId = into.Id;
                steps.Add(async (_, _, _) =>
                {
                    // Note that a null-conditional call would skip evaluating its arguments: enqueue first, always.
                    var seq = await redisInto.EnqueueAsync(c.Id, c.Time);
                    slot?.Fill(queueId, name, seq, c.Time);
                });
                into = null;
            }

            if (from is not null && into is not null && from.Id == into.Id)
            {
                sql.Statements.Add(new EngineStatement("UPDATE grove_mq SET name = @n WHERE obj = @o", ("n", name), ("o", c.Id)));
                continue;
            }

            if (from is not null && !(c.Kind == ChangeKind.Delete && AckSlot.Covers(c.Id)))
            {
                sql.Statements.Add(new EngineStatement("DELETE FROM grove_mq WHERE obj = @o", ("o", c.Id)));
            }

            if (into is not null)
            {
                var queueId = into.Id;
                sql.Statements.Add(QueueStore.Enqueue(queueId, c.Id, name, c.Time, seq => slot?.Fill(queueId, name, seq, c.Time)));
            }
        }

        if (steps.Count > 0)
        {
            sql.Run = async (conn, tx, t) =>
            {
                foreach (var step in steps)
                {
                    await step(conn, tx, t);
                }
            };
        }

        return sql.IsEmpty ? null : sql;
    }

    /// <summary>The directory at <paramref name="path"/> when it is a queue (an <c>mq</c> mount), else null.</summary>
    /// <remarks>
    /// Note that every queue operation asks this first: a directory the object cache holds is answered without the
    /// asynchronous look-up (the same cache <see cref="TreeService.FindAsync"/> reads; a path not normalized just misses it).
    /// </remarks>
    public ValueTask<TreeObject?> QueueOfAsync(string path, CancellationToken ct) =>
        tree.TryFindCached(path, out var cached) ? new(AsQueue(cached)) : new(FindQueueAsync(path, ct));

    /// <summary>The queue directory at <paramref name="path"/> when the object cache holds it (no look-up; false otherwise).</summary>
    public bool TryCachedQueue(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TreeObject? queue)
    {
        queue = tree.TryFindCached(path, out var cached) ? AsQueue(cached) : null;
        return queue is not null;
    }

    private async Task<TreeObject?> FindQueueAsync(string path, CancellationToken ct) => AsQueue(await tree.FindAsync(path, ct));

    private TreeObject? AsQueue(TreeObject? o) => o is { IsDir: true, Mount: { } m } && IsQueue(m) ? o : null;

    public static bool IsQueueMount(string mount, StorageRegistry registry) =>
        MountSpec.TryParse(mount, out var spec, registry) && spec.IndexType == "mq";

    /// <summary><see cref="IsQueueMount"/> in this tree, each mount text parsed once (a tree uses few).</summary>
    private bool IsQueue(string mount) => _parsed.GetOrAdd(mount, static (m, storage) => IsQueueMount(m, storage), tree.Storage);

    private static string Parent(string path)
    {
        var cut = path.LastIndexOf('/');
        return cut <= 0 ? "/" : path[..cut];
    }
}
