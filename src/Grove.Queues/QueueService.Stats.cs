using Grove.Queues.Internal;
using Grove.Tree.Query;

namespace Grove.Queues;

public sealed partial class QueueService
{
    /// <summary>
    /// Every queue with its depth and oldest message, empty ones included: the <c>mq</c> mounts of the root index, and
    /// the queues inside <c>redis</c> mounts that were ever used.
    /// </summary>
    public async Task<IReadOnlyList<QueueStats>> AllStatsAsync(CancellationToken ct = default)
    {
        var all = new Dictionary<string, (long Depth, long InFlight, long? Oldest)>(StringComparer.Ordinal);
        foreach (var id in await QueueDirectoriesAsync(ct))
        {
            all[id] = (0, 0, null);
        }

        foreach (var (queue, depth, inFlight, oldest) in await _store.StatsAsync(null, Now, ct))
        {
            all[queue] = (depth, inFlight, oldest);
        }

        foreach (var redis in await _redis.AllAsync())
        {
            all[redis.QueueId] = await redis.StatsAsync();
        }

        var list = new List<QueueStats>();
        foreach (var (queue, (depth, inFlight, oldest)) in all)
        {
            try
            {
                var dir = await _tree.GetByIdAsync(queue, ct);
                if (dir.Mount is { } m && QueueHook.IsQueueMount(m, _tree.Storage))
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
            var page = await _tree.QueryAsync(new TreeQuery { Filter = FilterParser.Parse("""{"mnt":"^mq"}"""), Limit = 1000, After = after }, ct);
            ids.AddRange(page.Items.Where(o => o.IsDir && o.Mount is { } m && QueueHook.IsQueueMount(m, _tree.Storage)).Select(o => o.Id));
            after = page.Next;
        }
        while (after is not null);
        return ids;
    }
}
