using Grove.Tree.Internal;

namespace Grove.Tree;

public sealed partial class TreeService
{
    /// <summary>
    /// Mounts another index or bucket on an empty directory, with the seed's expression
    /// <c>$IndexType[($Setting)][://$Storage]</c>: <c>mem</c>, <c>mem://lbm(Name)</c>, <c>lbm(Name)</c>,
    /// <c>file:///abs/folder</c>. Types that parse but are not implemented fail with <c>mount_unsupported</c>.
    /// </summary>
    public async Task<TreeObject> MountAsync(string path, string expression, CancellationToken ct = default)
    {
        var spec = MountSpec.Parse(expression);
        spec.EnsureSupported();
        if (spec.StorageKind == "pgbm" && _main.Indexer is not Internal.Postgres.PostgresIndexer)
        {
            throw new TreeException(TreeErrorCode.MountUnsupported, "storage 'pgbm' keeps content in PostgreSQL and needs a PostgreSQL store (--store postgres://…)");
        }

        var loc = await RequireAsync(path, ct);
        if (!loc.Object.IsDir || loc.Object.IsRoot)
        {
            throw new TreeException(TreeErrorCode.NotADirectory, $"mount on a directory other than the root, not {loc.Path}");
        }

        if (loc.Object.Mount is not null)
        {
            throw new TreeException(TreeErrorCode.AlreadyExists, $"{loc.Path} already has mount '{loc.Object.Mount}'; unmount it first");
        }

        if (spec.IndexType.Length > 0 && loc.Context.Foreign)
        {
            throw new TreeException(TreeErrorCode.NotSupported, $"{loc.Path} is inside a '{loc.Context.Indexer.Kind}' mount, which cannot hold another index mount");
        }

        if (await loc.Context.Indexer.HasChildrenAsync(loc.Context.LocalId(loc.Object.Id), ct))
        {
            throw new TreeException(TreeErrorCode.NotEmpty, $"{loc.Path} is not empty; mount on an empty directory");
        }

        if (spec.IndexType == "file" && !Directory.Exists(spec.StorageSetting))
        {
            throw new TreeException(TreeErrorCode.NotFound, $"local folder '{spec.StorageSetting}' of the file mount does not exist");
        }

        var done = await MutateAsync(loc, row => (row with { Mount = spec.Text }, null), ct, structural: true);
        _cache.Clear();
        return done.Object;
    }

    /// <summary>Removes a directory's mount. Objects of a memory index are dropped; a file mount's files stay on disk.</summary>
    public async Task<TreeObject> UnmountAsync(string path, CancellationToken ct = default)
    {
        var loc = await RequireAsync(path, ct);
        if (loc.Object.Mount is null)
        {
            throw new TreeException(TreeErrorCode.InvalidMount, $"{loc.Path} has no mount");
        }

        var spec = MountSpec.Parse(loc.Object.Mount);
        if (spec.IndexType.Length == 0 && await loc.Context.Indexer.HasChildrenAsync(loc.Context.LocalId(loc.Object.Id), ct))
        {
            throw new TreeException(TreeErrorCode.NotEmpty, $"{loc.Path} holds objects whose content is in '{spec.Text}'; move or delete them first");
        }

        var done = await MutateAsync(loc, row => (row with { Mount = null }, null), ct, structural: true);
        await DetachAsync(loc.Object.Id);
        return done.Object;
    }

    private async Task DetachAsync(string homeId)
    {
        if (_mounts.TryRemove(homeId, out var ctx))
        {
            await ctx.Indexer.DisposeAsync();
        }

        _cache.Clear();
    }

    private IBucket? BucketFor(MountSpec spec, Located dir) => spec.StorageKind switch
    {
        "" => null,
        "lbm" => Bucket("lbm:" + spec.StorageSetting),
        "pgbm" => Bucket("pgbm:" + spec.StorageSetting),
        "file" => null,
        _ => throw new TreeException(TreeErrorCode.MountUnsupported, $"storage '{spec.StorageKind}' of {dir.Path} is not supported yet"),
    };

    private Task<MountContext> CreateMountContextAsync(Located dir, MountSpec spec, CancellationToken ct)
    {
        if (dir.Context.Foreign)
        {
            throw new TreeException(TreeErrorCode.NotSupported, $"{dir.Path} is inside another index mount");
        }

        spec.EnsureSupported();
        var home = dir.Object.Id;
        MountContext ctx = spec.IndexType switch
        {
            "mem" => new MountContext(home, new MemIndexer(), BucketFor(spec, dir) ?? dir.Bucket, spec),
            "file" => FileMount(home, spec),
            _ => throw new TreeException(TreeErrorCode.MountUnsupported, $"index '{spec.IndexType}' is not supported yet"),
        };
        return Task.FromResult(ctx);
    }

    private MountContext FileMount(string home, MountSpec spec)
    {
        var root = Path.GetFullPath(spec.StorageSetting!);
        var bucket = new LocalFileBucket("file:" + home, root);
        _buckets[bucket.Name] = bucket;
        return new MountContext(home, new LocalFileIndexer(root), bucket, spec);
    }
}
