namespace Grove.Tree.Internal.Parts;

/// <summary>
/// Deletes: one object (retried when a concurrent edit bumps its version), a subtree bottom-up in batches that each
/// release their content references in the same transaction, and the sweep of expired objects.
/// </summary>
internal sealed class Remover(PathResolver paths, MountTable mounts, TimeProvider time, ChangeLog changes)
{
    private const int DeleteBatch = 500;

    private ObjectCache Cache => paths.Cache;

    public async Task DeleteAsync(string path, bool recursive, CancellationToken ct)
    {
        var loc = await paths.RequireAsync(path, ct);
        if (loc.Object.IsRoot)
        {
            throw new TreeException(TreeErrorCode.Conflict, "the root cannot be deleted");
        }

        if (loc.Object.IsDir)
        {
            var (inner, _) = await mounts.ChildContextAsync(loc, ct);
            var innerId = inner.LocalId(loc.Object.Id);
            if (loc.Object.Mount is not null && !ReferenceEquals(inner, loc.Context))
            {
                await mounts.DetachAsync(loc.Object.Id);
                Cache.Clear();
            }
            else if (await inner.Indexer.HasChildrenAsync(innerId, ct))
            {
                if (!recursive)
                {
                    throw new TreeException(TreeErrorCode.NotEmpty, $"{loc.Path} is not empty; delete recursively");
                }

                await DeleteChildrenAsync(inner, innerId, ct);
                Cache.Clear();
            }
        }

        for (var attempt = 0; ; attempt++)
        {
            // Note that a delete wins over concurrent edits of the row (a lease renewal, an archiver's metadata): a
            // version conflict means it changed meanwhile, so it is read again and the delete tried once more.
            var set = new ChangeSet { Structural = loc.Object.IsDir };
            var fresh = await PathResolver.FreshRowAsync(loc, ct);
            AddDelete(set, loc.Context, fresh);
            try
            {
                await changes.CommitAsync(loc.Context, set, [new PendingChange(ChangeKind.Delete, loc.Path, null, loc.Object.Id, fresh.IsDir, 0, null)], ct);
                break;
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.Conflict && attempt < RowWriter.MaxRetries)
            {
                Cache.Invalidate(loc.Path, loc.Object.Id);
            }
        }

        if (loc.Object.IsDir)
        {
            Cache.Clear();
        }
        else
        {
            Cache.Invalidate(loc.Path, loc.Object.Id);
        }
    }

    /// <summary>Adds the deletion of a row and the release of its content reference.</summary>
    public static void AddDelete(ChangeSet set, MountContext ctx, TreeObject row)
    {
        set.Delete(row.Id, row.Version);
        if (row is { IsDir: false, IsInline: false, Sha256: { } sha } && !ctx.PathAddressed)
        {
            set.Ref(row.Bucket ?? "", sha, row.Length, -1);
        }
    }

    private async Task DeleteChildrenAsync(MountContext ctx, string dirId, CancellationToken ct)
    {
        while (true)
        {
            var page = await ctx.Indexer.ListAsync(dirId, null, DeleteBatch, ct);
            if (page.Count == 0)
            {
                return;
            }

            var set = new ChangeSet { Structural = true };
            foreach (var child in page)
            {
                if (child.IsDir)
                {
                    if (child.Mount is not null && mounts.IsOpen(ctx.PublicId(child.Id)))
                    {
                        await mounts.DetachAsync(ctx.PublicId(child.Id));
                    }
                    else
                    {
                        await DeleteChildrenAsync(ctx, child.Id, ct);
                    }
                }

                AddDelete(set, ctx, child);
            }

            await ctx.Indexer.CommitAsync(set, ct);
        }
    }

    public async Task<int> SweepExpiredAsync(CancellationToken ct)
    {
        var removed = 0;
        foreach (var ctx in mounts.Contexts)
        {
            while (true)
            {
                var due = await ctx.Indexer.ExpiredAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), DeleteBatch, ct);
                if (due.Count == 0)
                {
                    break;
                }

                var progress = 0;
                foreach (var row in due)
                {
                    var loc = await paths.LocateIdAsync(ctx.PublicId(row.Id), ct);
                    if (loc is null)
                    {
                        continue;
                    }

                    try
                    {
                        await DeleteAsync(loc.Path, recursive: true, ct);
                        removed++;
                        progress++;
                    }
                    catch (TreeException e) when (e.Code is TreeErrorCode.NotFound or TreeErrorCode.Conflict)
                    {
                        // Deleted or changed by someone else meanwhile; the next round sees the current state.
                    }
                }

                if (progress == 0)
                {
                    break;
                }
            }
        }

        return removed;
    }
}
