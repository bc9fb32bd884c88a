using Grove.Tree;
using Grove.Tree.Query;

namespace Grove.Logs.Internal;

/// <summary>The periodic sweeps: requeue what the archiver does not hold, abandon idle tasks, drop logs past retention.</summary>
internal sealed class Sweeper(TreeService tree, ILiveStore live, LogOptions options, TimeProvider time, Archiver archiver, Func<string, CancellationToken, Task> abandon)
{

    /// <summary>Finishes as <see cref="LogTaskStatus.Abandoned"/> every running task idle past <see cref="LogOptions.IdleTimeout"/>; returns how many.</summary>
    public async Task<int> SweepIdleAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)options.IdleTimeout.TotalMilliseconds;
        var count = 0;
        foreach (var id in await live.ListIdleAsync(cutoff, ct))
        {
            try
            {
                await abandon(id, ct);
                count++;
            }
            catch (LogException e) when (e.Code is LogErrorCode.Finished or LogErrorCode.NotFound)
            {
                // Finished or deleted meanwhile.
            }
        }

        return count;
    }

    /// <summary>Deletes archived logs that finished longer ago than <see cref="LogOptions.Retention"/>; returns how many.</summary>
    public async Task<int> SweepRetentionAsync(CancellationToken ct)
    {
        if (options.Retention is not { } retention)
        {
            return 0;
        }

        var cutoff = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)retention.TotalMilliseconds;
        var filter = Filter.And(Filter.Eq(Catalog.State, Catalog.Archived), new CompareFilter(Catalog.End, CompareOp.Lt, cutoff));
        var count = 0;
        while (true)
        {
            var page = await tree.QueryAsync(new TreeQuery { Filter = filter, Limit = 500 }, ct);
            var before = count;
            foreach (var obj in page.Items)
            {
                try
                {
                    await tree.DeleteAsync(obj.Path!, ct: ct);
                    count++;
                }
                catch (TreeException e) when (e.Code == TreeErrorCode.NotFound)
                {
                    // Another node removed it.
                }
            }

            if (page.Next is null || count == before)
            {
                return count;
            }
        }
    }

    /// <summary>Queues finished tasks the archiver does not hold (after a restart, a full queue or a failed attempt).</summary>
    private async Task RequeueAsync(CancellationToken ct)
    {
        foreach (var id in await live.ListSealedAsync(options.ArchiveQueueCapacity, ct))
        {
            archiver.Enqueue(id);
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.SweepInterval, time);
        do
        {
            foreach (var sweep in new Func<CancellationToken, Task>[] { RequeueAsync, SweepIdleAsync, SweepRetentionAsync })
            {
                try
                {
                    await sweep(stop);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Note that a failed sweep is retried at the next tick; one bad task must not stop the others.
                }
            }
        }
        while (await WaitTickAsync(timer, stop));
    }

    private static async Task<bool> WaitTickAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
