namespace Grove.Tree.Internal.Parts;

/// <summary>Mounting and unmounting: every check the providers ask for passes before the mount is recorded.</summary>
internal sealed class MountOps(PathResolver paths, MountTable mounts, RowWriter rows)
{
    public async Task<TreeObject> MountAsync(string path, string expression, bool createMissing, CancellationToken ct)
    {
        var registry = mounts.Registry;
        var spec = MountSpec.Parse(expression, registry);
        registry.EnsureSupported(spec);
        if (spec.StorageKind.Length > 0 && !spec.IsFile)
        {
            registry.Bucket(spec.StorageKind).Check(spec.StorageSetting, mounts.Storage);
        }

        // Note that every check a provider makes runs before a missing directory is created: a refused mount leaves nothing.
        if (spec.IndexType.Length > 0)
        {
            await registry.Index(spec.IndexType).CheckAsync(spec, mounts.Storage, ct);
        }

        var norm = TreeNames.Normalize(path);
        var loc = await paths.LocateAsync(norm, ct) ?? (createMissing
            ? await rows.CreateLocatedAsync(norm, ObjectRace.Dir, new CreateOptions { Parents = true, ExistOk = true }, ct)
            : throw TreeException.NotFound(norm));
        if (!loc.Object.IsDir || loc.Object.IsRoot)
        {
            throw new TreeException(TreeErrorCode.NotADirectory, $"mount on a directory other than the root, not {loc.Path}");
        }

        if (loc.Object.Mount is not null)
        {
            throw new TreeException(TreeErrorCode.AlreadyExists, $"{loc.Path} already has mount '{loc.Object.Mount}'; unmount it first");
        }

        // Note that a mount whose objects stay in the parent's index (mq) is no other index: a queue may live in a redis mount.
        if (spec.IndexType.Length > 0 && loc.Context.Foreign && !registry.Index(spec.IndexType).KeepsObjectsInParent)
        {
            throw new TreeException(TreeErrorCode.NotSupported, $"{loc.Path} is inside a '{loc.Context.Indexer.Kind}' mount, which cannot hold another index mount");
        }

        if (await loc.Context.Indexer.HasChildrenAsync(loc.Context.LocalId(loc.Object.Id), ct))
        {
            throw new TreeException(TreeErrorCode.NotEmpty, $"{loc.Path} is not empty; mount on an empty directory");
        }

        var done = await rows.MutateAsync(loc, row => (row with { Mount = spec.Text }, null), ct, structural: true, kind: ChangeKind.Meta);
        paths.Cache.Clear();
        return done.Object;
    }

    public async Task<TreeObject> UnmountAsync(string path, CancellationToken ct)
    {
        var loc = await paths.RequireAsync(path, ct);
        if (loc.Object.Mount is null)
        {
            throw new TreeException(TreeErrorCode.InvalidMount, $"{loc.Path} has no mount");
        }

        var spec = MountSpec.Parse(loc.Object.Mount, mounts.Registry);
        if (mounts.KeepsObjectsInParent(spec) && await loc.Context.Indexer.HasChildrenAsync(loc.Context.LocalId(loc.Object.Id), ct))
        {
            throw new TreeException(TreeErrorCode.NotEmpty, $"{loc.Path} holds objects whose content is in '{spec.Text}'; move or delete them first");
        }

        var done = await rows.MutateAsync(loc, row => (row with { Mount = null }, null), ct, structural: true, kind: ChangeKind.Meta);
        await mounts.DetachAsync(loc.Object.Id);
        paths.Cache.Clear();
        return done.Object;
    }
}
