using Grove.Tree.Internal;

namespace Grove.Tree;

public sealed partial class TreeService
{
    private const int DeleteBatch = 500;

    /// <summary>
    /// Deletes an object. A directory with children needs <paramref name="recursive"/>; its subtree is removed
    /// bottom-up in batches, each batch one transaction releasing its content references, so an interrupted delete
    /// leaves a consistent, smaller tree. Removing a mount point detaches the mount (a file mount's real files stay).
    /// </summary>
    public async Task DeleteAsync(string path, bool recursive = false, CancellationToken ct = default)
    {
        var loc = await RequireAsync(path, ct);
        if (loc.Object.IsRoot)
        {
            throw new TreeException(TreeErrorCode.Conflict, "the root cannot be deleted");
        }

        if (loc.Object.IsDir)
        {
            var (inner, _) = await ChildContextAsync(loc, ct);
            var innerId = inner.LocalId(loc.Object.Id);
            if (loc.Object.Mount is not null && !ReferenceEquals(inner, loc.Context))
            {
                await DetachAsync(loc.Object.Id);
            }
            else if (await inner.Indexer.HasChildrenAsync(innerId, ct))
            {
                if (!recursive)
                {
                    throw new TreeException(TreeErrorCode.NotEmpty, $"{loc.Path} is not empty; delete recursively");
                }

                await DeleteChildrenAsync(inner, innerId, ct);
                _cache.Clear();
            }
        }

        for (var attempt = 0; ; attempt++)
        {
            // Note that a delete wins over concurrent edits of the row (a lease renewal, an archiver's metadata): a
            // version conflict means it changed meanwhile, so it is read again and the delete tried once more.
            var set = new ChangeSet { Structural = loc.Object.IsDir };
            AddDelete(set, loc.Context, await FreshRowAsync(loc, ct));
            try
            {
                await loc.Context.Indexer.CommitAsync(set, ct);
                break;
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.Conflict && attempt < MaxRetries)
            {
                _cache.Invalidate(loc.Path, loc.Object.Id);
            }
        }
        if (loc.Object.IsDir)
        {
            _cache.Clear();
        }
        else
        {
            _cache.Invalidate(loc.Path, loc.Object.Id);
        }
    }

    private async Task<TreeObject> FreshRowAsync(Located loc, CancellationToken ct) =>
        await loc.Context.Indexer.GetAsync(loc.Context.LocalId(loc.Object.Id), ct) ?? throw TreeException.NotFound(loc.Path);

    private static void AddDelete(ChangeSet set, MountContext ctx, TreeObject row)
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
                    if (child.Mount is not null && _mounts.ContainsKey(ctx.PublicId(child.Id)))
                    {
                        await DetachAsync(ctx.PublicId(child.Id));
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

    /// <summary>Removes objects whose expiry has passed, across the root index and active mounts. Returns how many.</summary>
    public async Task<int> SweepExpiredAsync(CancellationToken ct = default)
    {
        var removed = 0;
        foreach (var ctx in _mounts.Values.Prepend(_main).ToList())
        {
            while (true)
            {
                var due = await ctx.Indexer.ExpiredAsync(Now, DeleteBatch, ct);
                if (due.Count == 0)
                {
                    break;
                }

                var progress = 0;
                foreach (var row in due)
                {
                    var loc = await LocateIdAsync(ctx.PublicId(row.Id), ct);
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
