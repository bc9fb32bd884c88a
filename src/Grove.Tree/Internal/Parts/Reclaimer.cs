namespace Grove.Tree.Internal.Parts;

/// <summary>
/// Reclaims content no row references any more, in the background: blobs whose reference count has been zero for the
/// grace period are removed from their bucket (with the same touch-and-tombstone protocol as fsck, so a writer that
/// just re-referenced one keeps it) and their reference rows dropped. One node at a time (a lease). Keeps the figures
/// an operator watches: bytes and blobs waiting, reclaimed so far, the last pass.
/// </summary>
internal sealed class Reclaimer(MountTable mounts, LockManager locks, TimeProvider time, TimeSpan grace)
{
    /// <summary>The lease that keeps two nodes from reclaiming at once.</summary>
    public const string LockName = "grove:reclaim";

    private const int Page = 1000;
    private long _reclaimedBytes;
    private long _reclaimedBlobs;
    private ReclaimStats _last = new();

    /// <summary>What the last pass found and what all passes removed.</summary>
    public ReclaimStats Stats => _last with
    {
        ReclaimedBytes = Interlocked.Read(ref _reclaimedBytes),
        ReclaimedBlobs = Interlocked.Read(ref _reclaimedBlobs),
    };

    /// <summary>Runs passes every <paramref name="interval"/> until <paramref name="stop"/>.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stop);
                await PassAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is TreeException or IOException or System.Data.Common.DbException or TimeoutException)
            {
                // Note that a failed pass leaves everything for the next one: nothing was half-removed (rows go after blobs).
                _last = _last with { LastError = e.Message };
            }
        }
    }

    /// <summary>One pass over every index; false when another node holds the lease.</summary>
    public async Task<bool> PassAsync(CancellationToken ct)
    {
        await using var held = await locks.TryAcquireAsync(LockName, TimeSpan.FromMinutes(30), ct);
        if (held is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var cutoff = now - grace;
        long pendingBytes = 0, pendingBlobs = 0;
        foreach (var ctx in mounts.Contexts.Where(c => !c.PathAddressed))
        {
            BlobRow? after = null;
            while (true)
            {
                // Note that the rows still within the grace period are counted as pending, not removed.
                var page = await ctx.Indexer.UnreferencedBlobsAsync(long.MaxValue, after, Page, ct);
                if (page.Count == 0)
                {
                    break;
                }

                foreach (var blob in page)
                {
                    if (blob.ZeroSince > cutoff.ToUnixTimeMilliseconds() || !await RemoveAsync(ctx, blob, cutoff, ct))
                    {
                        pendingBytes += blob.Length;
                        pendingBlobs++;
                    }
                }

                after = page[^1];
            }
        }

        foreach (var name in await mounts.KnownBucketsAsync([], ct))
        {
            if (mounts.TryBucket(name, out var bucket) && bucket.ContentAddressed)
            {
                await bucket.RemoveStaleSwapAsync(cutoff, ct);
            }
        }

        _last = new ReclaimStats { PendingBytes = pendingBytes, PendingBlobs = pendingBlobs, LastPass = now };
        return true;
    }

    private async Task<bool> RemoveAsync(MountContext ctx, BlobRow blob, DateTimeOffset cutoff, CancellationToken ct)
    {
        if (!mounts.TryBucket(blob.Bucket, out var bucket) || !bucket.ContentAddressed)
        {
            return false;
        }

        // Note that the blob goes first and its row after: a crash in between leaves a row fsck repairs, never a row
        // pointing at content that is gone while something references it.
        var removed = await bucket.TryRemoveAsync(blob.Sha256, cutoff, ct) || !await bucket.ExistsAsync(blob.Sha256, ct);
        if (removed && await ctx.Indexer.DeleteBlobRowIfUnreferencedAsync(blob.Bucket, blob.Sha256, cutoff.ToUnixTimeMilliseconds(), ct))
        {
            Interlocked.Add(ref _reclaimedBytes, blob.Length);
            Interlocked.Increment(ref _reclaimedBlobs);
            return true;
        }

        return false;
    }
}
