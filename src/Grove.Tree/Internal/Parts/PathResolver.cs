namespace Grove.Tree.Internal.Parts;

/// <summary>
/// Finds objects by path and by id through the hot-object cache, which it owns: a miss walks down from the nearest
/// cached directory (by path) or up through parent links (by id), in whatever mount holds each step.
/// </summary>
internal sealed class PathResolver(MountTable mounts, TreeObject root, int cacheCapacity)
{
    // Note that this only guards against a parent cycle in stored rows; paths themselves stop at TreeNames.MaxDepth.
    private const int MaxDepth = 4096;

    /// <summary>The hot-object cache.</summary>
    public ObjectCache Cache { get; } = new(cacheCapacity);

    public TreeObject Root => root;

    internal static string ChildPath(string dir, string name) => dir == "/" ? "/" + name : dir + "/" + name;

    internal static (string Parent, string Name) SplitPath(string normalized)
    {
        var slash = normalized.LastIndexOf('/');
        return (slash == 0 ? "/" : normalized[..slash], normalized[(slash + 1)..]);
    }

    /// <summary>Finds an object by a normalized path, or null.</summary>
    public async ValueTask<Located?> LocateAsync(string norm, CancellationToken ct)
    {
        if (Cache.TryGetPath(norm, out var hit))
        {
            return hit;
        }

        var (found, end) = await NearestAsync(norm, ct);
        return end == norm.Length ? found : null;
    }

    /// <summary>
    /// The deepest object that exists on the way to a normalized path, and where its path ends in
    /// <paramref name="norm"/> (<c>norm.Length</c> when the whole path exists; 0 for the root below a longer path).
    /// One pass: the nearest cached directory above is found by probing prefixes without copying them, then each
    /// missing step costs one child lookup.
    /// </summary>
    public async ValueTask<(Located Found, int End)> NearestAsync(string norm, CancellationToken ct)
    {
        var gen = Cache.Generation;
        if (norm == "/")
        {
            return (RootLocated(gen), 1);
        }

        Located? current = null;
        var end = norm.Length;
        while (end > 0)
        {
            if (Cache.TryGetPrefix(norm.AsSpan(0, end), out var cached))
            {
                current = cached;
                break;
            }

            end = norm.LastIndexOf('/', end - 1);
        }

        if (current is null)
        {
            current = RootLocated(gen);
            end = 0;
        }

        while (end < norm.Length && current.Object.IsDir)
        {
            var next = norm.IndexOf('/', end + 1);
            next = next < 0 ? norm.Length : next;
            var (ctx, bucket) = await mounts.ChildContextAsync(current, ct);
            var row = await ctx.Indexer.GetChildAsync(ctx.LocalId(current.Object.Id), norm[(end + 1)..next], ct);
            if (row is null)
            {
                break;
            }

            current = new Located(ctx.ToPublic(row, norm[..next]), ctx, bucket) { Uncached = mounts.ChildrenChangeOutside(current) };
            Cache.Put(current, gen);
            end = next;
        }

        return (current, end);
    }

    private Located RootLocated(long gen)
    {
        if (Cache.TryGetPrefix("/", out var cached))
        {
            return cached;
        }

        var rootLoc = new Located(root, mounts.Main, mounts.Main.Bucket);
        Cache.Put(rootLoc, gen);
        return rootLoc;
    }

    /// <summary>Finds an object by path or throws not_found.</summary>
    public async ValueTask<Located> RequireAsync(string path, CancellationToken ct)
    {
        var norm = TreeNames.Normalize(path);
        return await LocateAsync(norm, ct) ?? throw TreeException.NotFound(norm);
    }

    /// <summary>Finds an object by id (plain or two-part), or null.</summary>
    public async ValueTask<Located?> LocateIdAsync(string id, CancellationToken ct)
    {
        if (Cache.TryGetId(id, out var hit))
        {
            return hit;
        }

        if (id == root.Id)
        {
            return await LocateAsync("/", ct);
        }

        string? path;
        if (ObjectIds.TrySplit(id, out var homeId, out var referId))
        {
            var home = await LocateIdAsync(homeId, ct);
            if (home?.Object.Mount is null)
            {
                return null;
            }

            var (ctx, _) = await mounts.ChildContextAsync(home, ct);
            path = ctx.Foreign ? await PathInContextAsync(ctx, home.Path, referId, ct) : null;
        }
        else
        {
            path = await PathInContextAsync(mounts.Main, "/", id, ct);
        }

        if (path is null)
        {
            return null;
        }

        var loc = await LocateAsync(path, ct);
        return loc?.Object.Id == id ? loc : null;
    }

    /// <summary>The path of a row of a context, walking up its parents (each step served by the cache once warm).</summary>
    public async ValueTask<string?> PathInContextAsync(MountContext ctx, string homePath, string localId, CancellationToken ct)
    {
        var names = new List<string>();
        var current = localId;
        for (var depth = 0; depth < MaxDepth; depth++)
        {
            if (ctx.Foreign ? current.Length == 0 : current == root.Id)
            {
                names.Reverse();
                return names.Count == 0 ? homePath : ChildPath(homePath, string.Join('/', names));
            }

            if (Cache.TryGetId(ctx.PublicId(current), out var cached))
            {
                names.Reverse();
                return names.Count == 0 ? cached.Path : ChildPath(cached.Path, string.Join('/', names));
            }

            var row = await ctx.Indexer.GetAsync(current, ct);
            if (row is null)
            {
                return null;
            }

            names.Add(row.Name);
            current = row.ParentId;
        }

        throw new TreeException(TreeErrorCode.Conflict, $"object {localId} sits in a parent cycle");
    }

    /// <summary>The stored row of an object (not the cache's copy), with its inline content.</summary>
    public static async Task<TreeObject> FreshRowAsync(Located loc, CancellationToken ct) =>
        await loc.Context.Indexer.GetAsync(loc.Context.LocalId(loc.Object.Id), ct) ?? throw TreeException.NotFound(loc.Path);
}
