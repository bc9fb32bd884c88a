using System.Runtime.CompilerServices;
using Grove.Tree.Internal;
using Grove.Tree.Query;

namespace Grove.Tree;

public sealed partial class TreeService
{
    /// <summary>Most children or query results one page may hold.</summary>
    public const int MaxPage = 10_000;

    /// <summary>The object at <paramref name="path"/>, or null when there is none.</summary>
    public async Task<TreeObject?> FindAsync(string path, CancellationToken ct = default) =>
        (await LocateAsync(TreeNames.Normalize(path), ct))?.Object;

    /// <summary>The object at <paramref name="path"/>; <c>not_found</c> when there is none.</summary>
    public async Task<TreeObject> GetAsync(string path, CancellationToken ct = default) =>
        (await RequireAsync(path, ct)).Object;

    /// <summary>The object with <paramref name="id"/> (plain or two-part), or null.</summary>
    public async Task<TreeObject?> FindByIdAsync(string id, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return (await LocateIdAsync(id, ct))?.Object;
    }

    /// <summary>The object with <paramref name="id"/>; <c>not_found</c> when there is none.</summary>
    public async Task<TreeObject> GetByIdAsync(string id, CancellationToken ct = default) =>
        await FindByIdAsync(id, ct) ?? throw TreeException.NotFound("id " + id);

    /// <summary>
    /// One page of a directory's children in name order (ordinal). Pass the returned <see cref="Page{T}.Next"/>
    /// to get the next page; any page costs the same as the first (keyset paging).
    /// </summary>
    public async Task<Page<TreeObject>> ListAsync(string path, string? after = null, int limit = 1000, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxPage)
        {
            throw new TreeException(TreeErrorCode.InvalidFilter, $"limit must be 1 to {MaxPage}");
        }

        var dir = await RequireAsync(path, ct);
        if (!dir.Object.IsDir)
        {
            throw new TreeException(TreeErrorCode.NotADirectory, $"{dir.Path} is a file");
        }

        var (ctx, _) = await ChildContextAsync(dir, ct);
        var rows = await ctx.Indexer.ListAsync(ctx.LocalId(dir.Object.Id), after, limit + 1, ct);
        var items = new List<TreeObject>(Math.Min(rows.Count, limit));
        for (var i = 0; i < rows.Count && i < limit; i++)
        {
            items.Add(ctx.ToPublic(rows[i], ChildPath(dir.Path, rows[i].Name)));
        }

        return new Page<TreeObject>(items, rows.Count > limit ? items[^1].Name : null);
    }

    /// <summary>All children of a directory, streamed page by page in bounded memory.</summary>
    public async IAsyncEnumerable<TreeObject> ListAllAsync(string path, int pageSize = 1000, [EnumeratorCancellation] CancellationToken ct = default)
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

    /// <summary>
    /// Walks a subtree depth-first (a directory before its children, children in name order), in memory bounded by
    /// depth times page size.
    /// </summary>
    public async IAsyncEnumerable<TreeObject> WalkAsync(string path, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var top = await GetAsync(path, ct);
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

    /// <summary>
    /// Queries objects by a filter with sort, limit and keyset paging. With <see cref="TreeQuery.Parent"/> the
    /// children of that directory are searched (in whatever mount holds them); without, the whole root index.
    /// </summary>
    public async Task<Page<TreeObject>> QueryAsync(TreeQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > MaxPage)
        {
            throw new TreeException(TreeErrorCode.InvalidFilter, $"limit must be 1 to {MaxPage}");
        }

        var ctx = _main;
        var filter = query.Filter;
        if (query.Parent is not null)
        {
            var dir = await RequireAsync(query.Parent, ct);
            if (!dir.Object.IsDir)
            {
                throw new TreeException(TreeErrorCode.NotADirectory, $"{dir.Path} is a file");
            }

            (ctx, _) = await ChildContextAsync(dir, ct);
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
        var homePath = ctx.Foreign ? (await LocateIdAsync(ctx.HomeId, ct))?.Path ?? "/" : "/";
        var dirs = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var row in rows.Take(query.Limit))
        {
            if (row.IsRoot)
            {
                items.Add(row with { Path = "/" });
                continue;
            }

            if (!dirs.TryGetValue(row.ParentId, out var dirPath))
            {
                dirs[row.ParentId] = dirPath = await PathInContextAsync(ctx, homePath, row.ParentId, ct);
            }

            items.Add(ctx.ToPublic(row, dirPath is null ? "" : ChildPath(dirPath, row.Name)));
        }

        string? next = null;
        if (rows.Count > query.Limit)
        {
            var last = rows[query.Limit - 1];
            next = Cursor.Encode(order.ValuesOf(last));
        }

        return new Page<TreeObject>(items, next);
    }

    /// <summary>
    /// Creates an index on a custom metadata key in the root index, so queries on it do not scan; nothing to do where
    /// the root index scans anyway (memory).
    /// </summary>
    public Task EnsureIndexAsync(string key, CancellationToken ct = default)
    {
        MetaRules.ValidateKey(key);
        return _main.Indexer.Capabilities.HasFlag(IndexerCapabilities.ExpressionIndexes)
            ? _main.Indexer.EnsureIndexAsync(key, ct)
            : Task.CompletedTask;
    }
}
