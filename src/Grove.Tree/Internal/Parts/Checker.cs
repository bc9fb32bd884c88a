namespace Grove.Tree.Internal.Parts;

/// <summary>
/// fsck: content against metadata in every index and bucket — dangling rows, reference counts that disagree with the
/// rows (repaired on request), unreferenced blobs past the grace period and abandoned swap files removed. One run at a
/// time across every node (a lease).
/// </summary>
internal sealed class Checker(PathResolver paths, MountTable mounts, LockManager locks, TimeProvider time, TimeSpan grace)
{
    /// <summary>The lease that keeps two runs apart, on any node.</summary>
    public const string LockName = "grove:fsck";

    private const int ScanPage = 5000;

    public async Task<FsckReport> FsckAsync(bool repair, bool removeOrphans, CancellationToken ct)
    {
        await using var guard = await locks.AcquireAsync(LockName, TimeSpan.FromHours(1), TimeSpan.Zero, ct);
        var cutoff = time.GetUtcNow() - grace;
        var counts = new Dictionary<(string Bucket, string Sha), (long Refs, long Length, MountContext Ctx)>();
        var dangling = new List<string>();
        long rows = 0;
        var contexts = mounts.Contexts.Where(m => !m.PathAddressed).ToList();
        foreach (var ctx in contexts)
        {
            string? after = null;
            while (true)
            {
                var page = await ctx.Indexer.ContentRowsAsync(after, ScanPage, ct);
                if (page.Count == 0)
                {
                    break;
                }

                foreach (var row in page)
                {
                    rows++;
                    var key = (row.Bucket ?? "", row.Sha256!);
                    counts[key] = counts.TryGetValue(key, out var c) ? (c.Refs + 1, row.Length, ctx) : (1, row.Length, ctx);
                    if (!mounts.TryBucket(key.Item1, out var b) || !await b.ExistsAsync(key.Item2, ct))
                    {
                        dangling.Add($"{await DescribeAsync(ctx, row, ct)} sha256={row.Sha256}");
                    }
                }

                after = page[^1].Id;
            }
        }

        var mismatches = new List<string>();
        long repaired = 0;
        var known = await mounts.KnownBucketsAsync(counts.Keys.Select(k => k.Bucket), ct);
        foreach (var bucketName in known)
        {
            foreach (var ctx in contexts)
            {
                string? after = null;
                while (true)
                {
                    var blobs = await ctx.Indexer.ListBlobsAsync(bucketName, after, ScanPage, ct);
                    if (blobs.Count == 0)
                    {
                        break;
                    }

                    foreach (var blob in blobs)
                    {
                        var actual = counts.TryGetValue((bucketName, blob.Sha256), out var c) && ReferenceEquals(c.Ctx, ctx) ? c.Refs : 0;
                        if (Math.Max(blob.Refs, 0) != actual)
                        {
                            mismatches.Add($"{(bucketName.Length == 0 ? "default" : bucketName)}/{blob.Sha256}: {blob.Refs} -> {actual}");
                            if (repair)
                            {
                                await ctx.Indexer.CommitAsync(new ChangeSet().Ref(bucketName, blob.Sha256, blob.Length, (int)(actual - blob.Refs)), ct);
                                repaired++;
                            }
                        }
                    }

                    after = blobs[^1].Sha256;
                }
            }
        }

        foreach (var ((bucketName, sha), c) in counts)
        {
            if (await c.Ctx.Indexer.GetBlobAsync(bucketName, sha, ct) is null)
            {
                mismatches.Add($"{(bucketName.Length == 0 ? "default" : bucketName)}/{sha}: none -> {c.Refs}");
                if (repair)
                {
                    await c.Ctx.Indexer.CommitAsync(new ChangeSet().Ref(bucketName, sha, c.Length, (int)c.Refs), ct);
                    repaired++;
                }
            }
        }

        long blobsSeen = 0, removed = 0, young = 0, swap = 0;
        foreach (var bucketName in known)
        {
            if (!mounts.TryBucket(bucketName, out var bucket) || !bucket.ContentAddressed)
            {
                continue;
            }

            swap += await bucket.RemoveStaleSwapAsync(cutoff, ct);
            await foreach (var (sha, written, _) in bucket.ListBlobsAsync(ct))
            {
                blobsSeen++;
                if (counts.ContainsKey((bucketName, sha)))
                {
                    continue;
                }

                if (written > cutoff || !removeOrphans)
                {
                    young++;
                    continue;
                }

                if (await bucket.TryRemoveAsync(sha, cutoff, ct))
                {
                    removed++;
                    foreach (var ctx in contexts)
                    {
                        await ctx.Indexer.DeleteBlobRowIfUnreferencedAsync(bucketName, sha, long.MaxValue, ct);
                    }
                }
                else
                {
                    young++;
                }
            }
        }

        return new FsckReport
        {
            RowsChecked = rows,
            BlobsChecked = blobsSeen,
            OrphansRemoved = removed,
            OrphansYoung = young,
            SwapRemoved = swap,
            Dangling = dangling,
            CountMismatches = mismatches,
            CountsRepaired = repaired,
        };
    }

    private async Task<string> DescribeAsync(MountContext ctx, TreeObject row, CancellationToken ct) =>
        (await paths.LocateIdAsync(ctx.PublicId(row.Id), ct))?.Path ?? ctx.PublicId(row.Id);
}
