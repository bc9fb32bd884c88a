using Grove.Tree.Internal;

namespace Grove.Tree;

public sealed partial class TreeService
{
    /// <summary>
    /// Mounts another index or bucket on an empty directory, with the seed's expression
    /// <c>$IndexType[($Setting)][://$Storage]</c>: <c>mem</c>, <c>mem://lbm(Name)</c>, <c>lbm(Name)</c>,
    /// <c>file:///abs/folder</c>. Kinds the registry knows but does not serve fail with <c>mount_unsupported</c>,
    /// naming the reason.
    /// </summary>
    public async Task<TreeObject> MountAsync(string path, string expression, CancellationToken ct = default)
    {
        var spec = MountSpec.Parse(expression, _registry);
        _registry.EnsureSupported(spec);
        if (spec.StorageKind.Length > 0 && !spec.IsFile)
        {
            _registry.Bucket(spec.StorageKind).Check(spec.StorageSetting, _storage);
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

        if (spec.IndexType.Length > 0)
        {
            await _registry.Index(spec.IndexType).CheckAsync(spec, _storage, ct);
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

        var spec = MountSpec.Parse(loc.Object.Mount, _registry);
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

    private IBucket? BucketFor(MountSpec spec) =>
        spec.StorageKind.Length == 0 || spec.IsFile ? null : Bucket(spec.StorageKind + ":" + spec.StorageSetting);

    private async Task<MountContext> CreateMountContextAsync(Located dir, MountSpec spec, CancellationToken ct)
    {
        if (dir.Context.Foreign)
        {
            throw new TreeException(TreeErrorCode.NotSupported, $"{dir.Path} is inside another index mount");
        }

        _registry.EnsureSupported(spec);
        var home = dir.Object.Id;
        var opened = await _registry.Index(spec.IndexType).OpenAsync(spec, home, _storage, ct);
        if (opened.Bucket is { } own)
        {
            _buckets[own.Name] = own;
        }

        return new MountContext(home, opened.Index, opened.Bucket ?? BucketFor(spec) ?? dir.Bucket, spec);
    }
}
