using System.Runtime.CompilerServices;
using Grove.Tree.Query;

namespace Grove.Tree.Internal.Parts;

/// <summary>Listing (keyset pages, streamed walks) and queries, in whatever mount holds a directory's children.</summary>
internal sealed class TreeReader(PathResolver paths, MountTable mounts)
{
    public async Task<Page<TreeObject>> ListAsync(string path, string? after, int limit, CancellationToken ct)
    {
        if (limit is < 1 or > TreeService.MaxPage)
        {
            throw new TreeException(TreeErrorCode.InvalidFilter, $"limit must be 1 to {TreeService.MaxPage}");
        }

        var dir = await paths.RequireAsync(path, ct);
        if (!dir.Object.IsDir)
        {
            throw new TreeException(TreeErrorCode.NotADirectory, $"{dir.Path} is a file");
        }

        var (ctx, _) = await mounts.ChildContextAsync(dir, ct);
        var rows = await ctx.Indexer.ListAsync(ctx.LocalId(dir.Object.Id), after, limit + 1, ct);
        var items = new List<TreeObject>(Math.Min(rows.Count, limit));
        for (var i = 0; i < rows.Count && i < limit; i++)
        {
            items.Add(ctx.ToPublic(rows[i], PathResolver.ChildPath(dir.Path, rows[i].Name)));
        }

        return new Page<TreeObject>(items, rows.Count > limit ? items[^1].Name : null);
    }

    public async IAsyncEnumerable<TreeObject> ListAllAsync(string path, int pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        string? after = null;
        do
        {
            var page = await ListAsync(path, after, pageSize, ct);
            foreach (var o in page.Items)
            {
                yield return o;
            }

            after = page.Next;
        }
        while (after is not null);
    }

    public async IAsyncEnumerable<TreeObject> WalkAsync(string path, [EnumeratorCancellation] CancellationToken ct)
    {
        var top = (await paths.RequireAsync(path, ct)).Object;
        yield return top;
        if (!top.IsDir)
        {
            yield break;
        }

        await foreach (var child in ListAllAsync(top.Path!, 1000, ct))
        {
            if (child.IsDir)
            {
                await foreach (var d in WalkAsync(child.Path!, ct))
                {
                    yield return d;
                }
            }
            else
            {
                yield return child;
            }
        }
    }

    public async Task<Page<TreeObject>> QueryAsync(TreeQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > TreeService.MaxPage)
        {
            throw new TreeException(TreeErrorCode.InvalidFilter, $"limit must be 1 to {TreeService.MaxPage}");
        }

        var ctx = mounts.Main;
        var filter = query.Filter;
        if (query.Parent is not null)
        {
            var dir = await paths.RequireAsync(query.Parent, ct);
            if (!dir.Object.IsDir)
            {
                throw new TreeException(TreeErrorCode.NotADirectory, $"{dir.Path} is a file");
            }

            (ctx, _) = await mounts.ChildContextAsync(dir, ct);
            var scope = Filter.Eq("pid", ctx.LocalId(dir.Object.Id));
            filter = filter is null ? scope : Filter.And(scope, filter);
        }

        if (!ctx.Indexer.Capabilities.HasFlag(IndexerCapabilities.Queries))
        {
            throw new TreeException(TreeErrorCode.NotSupported, $"the '{ctx.Indexer.Kind}' index holding {query.Parent ?? "/"} cannot answer queries");
        }

        var order = new ObjectComparer(query.Sort);
        var sort = order.Keys;
        var after = query.After is null ? null : Cursor.Decode(query.After, sort.Count);
        var rows = await ctx.Indexer.QueryAsync(new IndexQuery(filter, sort, query.Limit + 1, after), ct);
        var items = new List<TreeObject>(Math.Min(rows.Count, query.Limit));
        var homePath = ctx.Foreign ? (await paths.LocateIdAsync(ctx.HomeId, ct))?.Path ?? "/" : "/";
        var dirs = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var row in rows.Take(query.Limit))
        {
            // Note that in a mount's own index, rows directly below the mount's home have an empty parent id too.
            if (row.IsRoot && !ctx.Foreign)
            {
                items.Add(row with { Path = "/" });
                continue;
            }

            if (!dirs.TryGetValue(row.ParentId, out var dirPath))
            {
                dirs[row.ParentId] = dirPath = await paths.PathInContextAsync(ctx, homePath, row.ParentId, ct);
            }

            items.Add(ctx.ToPublic(row, dirPath is null ? "" : PathResolver.ChildPath(dirPath, row.Name)));
        }

        string? next = null;
        if (rows.Count > query.Limit)
        {
            var last = rows[query.Limit - 1];
            next = Cursor.Encode(order.ValuesOf(last));
        }

        return new Page<TreeObject>(items, next);
    }
}
