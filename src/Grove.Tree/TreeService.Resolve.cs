using System.Collections.Concurrent;
using Grove.Tree.Internal;

namespace Grove.Tree;

public sealed partial class TreeService
{
    private readonly ConcurrentDictionary<string, MountSpec> _specs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _mountGate = new(1, 1);

    internal static string ChildPath(string dir, string name) => dir == "/" ? "/" + name : dir + "/" + name;

    internal static (string Parent, string Name) SplitPath(string normalized)
    {
        var slash = normalized.LastIndexOf('/');
        return (slash == 0 ? "/" : normalized[..slash], normalized[(slash + 1)..]);
    }

    /// <summary>Finds an object by a normalized path, or null.</summary>
    internal async ValueTask<Located?> LocateAsync(string norm, CancellationToken ct)
    {
        if (_cache.TryGetPath(norm, out var hit))
        {
            return hit;
        }

        var gen = _cache.Generation;
        if (norm == "/")
        {
            var rootLoc = new Located(_root, _main, _main.Bucket);
            _cache.Put(rootLoc, gen);
            return rootLoc;
        }

        var (parentPath, name) = SplitPath(norm);
        var parent = await LocateAsync(parentPath, ct);
        if (parent is null || !parent.Object.IsDir)
        {
            return null;
        }

        var (ctx, bucket) = await ChildContextAsync(parent, ct);
        var row = await ctx.Indexer.GetChildAsync(ctx.LocalId(parent.Object.Id), name, ct);
        if (row is null)
        {
            return null;
        }

        var loc = new Located(ctx.ToPublic(row, norm), ctx, bucket);
        _cache.Put(loc, gen);
        return loc;
    }

    /// <summary>Finds an object by path or throws not_found (or not_a_directory when a parent is a file).</summary>
    internal async ValueTask<Located> RequireAsync(string path, CancellationToken ct)
    {
        var norm = TreeNames.Normalize(path);
        return await LocateAsync(norm, ct) ?? throw TreeException.NotFound(norm);
    }

    /// <summary>Finds an object by id (plain or two-part), or null.</summary>
    internal async ValueTask<Located?> LocateIdAsync(string id, CancellationToken ct)
    {
        if (_cache.TryGetId(id, out var hit))
        {
            return hit;
        }

        if (id == _root.Id)
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

            var (ctx, _) = await ChildContextAsync(home, ct);
            path = ctx.Foreign ? await PathInContextAsync(ctx, home.Path, referId, ct) : null;
        }
        else
        {
            path = await PathInContextAsync(_main, "/", id, ct);
        }

        if (path is null)
        {
            return null;
        }

        var loc = await LocateAsync(path, ct);
        return loc?.Object.Id == id ? loc : null;
    }

    /// <summary>The path of a row of a context, walking up its parents (each step served by the cache once warm).</summary>
    private async ValueTask<string?> PathInContextAsync(MountContext ctx, string homePath, string localId, CancellationToken ct)
    {
        var names = new List<string>();
        var current = localId;
        for (var depth = 0; depth < 4096; depth++)
        {
            if (ctx.Foreign ? current.Length == 0 : current == _root.Id)
            {
                names.Reverse();
                return names.Count == 0 ? homePath : ChildPath(homePath, string.Join('/', names));
            }

            if (_cache.TryGetId(ctx.PublicId(current), out var cached))
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

    /// <summary>The context and bucket that hold the children of a directory.</summary>
    private async ValueTask<(MountContext Context, IBucket Bucket)> ChildContextAsync(Located dir, CancellationToken ct)
    {
        if (dir.Object.Mount is not { } mnt)
        {
            return (dir.Context, dir.Bucket);
        }

        var spec = _specs.GetOrAdd(mnt, m => MountSpec.Parse(m, _registry));
        if (spec.IndexType.Length == 0)
        {
            return (dir.Context, BucketFor(spec) ?? dir.Bucket);
        }

        if (_mounts.TryGetValue(dir.Object.Id, out var ready))
        {
            return (ready, ready.Bucket);
        }

        await _mountGate.WaitAsync(ct);
        try
        {
            if (!_mounts.TryGetValue(dir.Object.Id, out ready))
            {
                ready = await CreateMountContextAsync(dir, spec, ct);
                _mounts[dir.Object.Id] = ready;
            }

            return (ready, ready.Bucket);
        }
        finally
        {
            _mountGate.Release();
        }
    }

    internal IBucket Bucket(string? name)
    {
        var key = name ?? "";
        if (_buckets.TryGetValue(key, out var b))
        {
            return b;
        }

        foreach (var m in _mounts.Values)
        {
            if (m.Bucket.Name == key)
            {
                return m.Bucket;
            }
        }

        // Note that a bucket is named kind:setting; its provider opens it once and the tree keeps it.
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && _registry.Knows(StorageRole.Bucket, key[..colon]))
        {
            var provider = _registry.Bucket(key[..colon]);
            var setting = colon + 1 < key.Length ? key[(colon + 1)..] : null;
            return _buckets.GetOrAdd(key, k => provider.Open(k, setting, _storage));
        }

        throw new TreeException(TreeErrorCode.NotFound, $"bucket '{key}' is not available");
    }
}
