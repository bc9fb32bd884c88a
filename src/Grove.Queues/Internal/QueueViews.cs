using Grove.Tree.Query;

namespace Grove.Queues.Internal;

/// <summary>
/// Read-only views of queues, wherever their messages live (Redis or the message table): a queue's messages, one
/// queue's depth, and every queue's.
/// </summary>
internal sealed class QueueViews(TreeService tree, QueueStore store, RedisQueues redisQueues)
{
    private long Now => tree.Options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A queue's messages in FIFO order (claimed ones included), after sequence <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<QueueMessage>> ListAsync(TreeObject queue, long after, int limit, CancellationToken ct)
    {
        var rows = await redisQueues.OfAsync(queue, ct) is { } redis
            ? await redis.ListAsync(after, Math.Clamp(limit, 1, 10_000), Now)
            : await store.ListAsync(queue.Id, after, Math.Clamp(limit, 1, 10_000), ct);
        return [.. rows.Select(r => r.ToMessage(queue.Path!))];
    }

    /// <summary>One queue's depth and oldest message.</summary>
    public async Task<QueueStats> StatsAsync(TreeObject queue, CancellationToken ct)
    {
        if (await redisQueues.OfAsync(queue, ct) is { } redis)
        {
            var (depth, inFlight, oldest) = await redis.StatsAsync();
            return new QueueStats(queue.Path!, depth, inFlight, oldest);
        }

        var s = (await store.StatsAsync(queue.Id, Now, ct)).FirstOrDefault();
        return new QueueStats(queue.Path!, s.Depth, s.InFlight, s.Oldest);
    }

    /// <summary>Every queue with its depth and oldest message, empty ones included.</summary>
    public async Task<IReadOnlyList<QueueStats>> AllStatsAsync(CancellationToken ct)
    {
        var all = new Dictionary<string, (long Depth, long InFlight, long? Oldest)>(StringComparer.Ordinal);
        foreach (var id in await QueueDirectoriesAsync(ct))
        {
            all[id] = (0, 0, null);
        }

        foreach (var (queue, depth, inFlight, oldest) in await store.StatsAsync(null, Now, ct))
        {
            all[queue] = (depth, inFlight, oldest);
        }

        foreach (var redis in await redisQueues.AllAsync())
        {
            all[redis.QueueId] = await redis.StatsAsync();
        }

        var list = new List<QueueStats>();
        foreach (var (queue, (depth, inFlight, oldest)) in all)
        {
            try
            {
                var dir = await tree.GetByIdAsync(queue, ct);
                if (dir.Mount is { } m && QueueHook.IsQueueMount(m, tree.Storage))
                {
                    list.Add(new QueueStats(dir.Path ?? "/", depth, inFlight, oldest));
                }
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.NotFound)
            {
                // The queue's directory is gone; its rows go with the next claim.
            }
        }

        return [.. list.OrderBy(q => q.Path, StringComparer.Ordinal)];
    }

    /// <summary>The ids of the root index's directories with an <c>mq</c> mount.</summary>
    private async Task<IReadOnlyList<string>> QueueDirectoriesAsync(CancellationToken ct)
    {
        var ids = new List<string>();
        string? after = null;
        do
        {
            var page = await tree.QueryAsync(new TreeQuery { Filter = FilterParser.Parse("""{"mnt":"^mq"}"""), Limit = 1000, After = after }, ct);
            ids.AddRange(page.Items.Where(o => o.IsDir && o.Mount is { } m && QueueHook.IsQueueMount(m, tree.Storage)).Select(o => o.Id));
            after = page.Next;
        }
        while (after is not null);
        return ids;
    }
}
