using Grove.Tree;
using Grove.Tree.Query;

namespace Grove.Identity;

/// <summary>
/// The tree's operations as a principal may perform them: each checks the rules of <see cref="TreeAccess"/> once
/// and then acts. The server's routes and the CLI's local mode (<c>--as USER</c>) both go through it, so the rules
/// hold the same everywhere.
/// </summary>
public sealed class GuardedTree(TreeService tree)
{
    private static readonly HashSet<string> AdminOnlyKeys = new(StringComparer.Ordinal) { "c", "m" };
    private static readonly HashSet<string> OwnerOnlyKeys = new(StringComparer.Ordinal) { "md", "g" };

    /// <summary>The user recorded as creator or modifier: none for <see cref="Principal.System"/>.</summary>
    private static string? UserOf(Principal p) => p.User == Principal.SystemName ? null : p.User;

    /// <summary>The rules.</summary>
    public TreeAccess Access { get; } = new(tree);

    /// <summary>The tree underneath (for what needs no check, such as sizes and limits).</summary>
    public TreeService Tree => tree;

    /// <summary>An object by path: needs list on every directory above it and read on it.</summary>
    public Task<TreeObject> StatAsync(Principal p, string path, CancellationToken ct) =>
        Access.RequireAsync(p, path, Grove.Identity.Access.Read, ct);

    /// <summary>An object by id, with the same rights as by its path.</summary>
    public async Task<TreeObject> GetByIdAsync(Principal p, string id, CancellationToken ct)
    {
        var o = await tree.GetByIdAsync(id, ct);
        return await Access.RequireAsync(p, o.Path ?? "/", Grove.Identity.Access.Read, ct);
    }

    /// <summary>
    /// One keyset page of a directory (list right on it and above): objects the caller may read whole, the others
    /// as a name and a kind only (<see cref="Listed"/>).
    /// </summary>
    public async Task<Page<Listed>> ListAsync(Principal p, string path, string? after, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(p);
        var dir = await Access.RequireAsync(p, path, Grove.Identity.Access.List, ct);
        var page = await tree.ListAsync(dir.Path ?? "/", after, limit, ct);

        // Note that the directory and everything above it were checked once: each child needs only its own read bit.
        return new Page<Listed>([.. page.Items.Select(o => new Listed(o, Grove.Identity.Access.Allows(p, o, Grove.Identity.Access.Read)))], page.Next);
    }

    /// <summary>
    /// A page of the change feed under <paramref name="path"/>: the caller needs list on the nearest existing
    /// directory at or above it (read for a file); a change is shown when the caller may read the object now, or,
    /// for one deleted or moved away, may list the directory that held it.
    /// </summary>
    public async Task<ChangePage> ChangesAsync(Principal p, string path, long after, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(p);
        var root = await RequireWatchableAsync(p, path, ct);
        var page = await tree.ChangesAsync(root, after, limit, ct);
        if (p.IsAdmin || page.Changes.Count == 0)
        {
            return page;
        }

        var shown = new List<TreeChange>(page.Changes.Count);
        foreach (var c in page.Changes)
        {
            if (await MayKnowAsync(p, c, ct))
            {
                shown.Add(c);
            }
        }

        return page with { Changes = shown };
    }

    /// <summary>Checks that the caller may follow changes under <paramref name="path"/>; returns it normalized.</summary>
    public async Task<string> RequireWatchableAsync(Principal p, string path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(p);
        var norm = TreeNames.Normalize(path);
        var at = norm;
        while (true)
        {
            if (await Access.FindVisibleAsync(p, at, ct) is { } o)
            {
                if (!o.IsDir && at != norm)
                {
                    throw TreeException.NotFound(norm);
                }

                TreeAccess.Demand(p, o, o.IsDir ? Grove.Identity.Access.List : Grove.Identity.Access.Read, at);
                return norm;
            }

            at = TreeAccess.ParentOf(at);
        }
    }

    private async Task<bool> MayKnowAsync(Principal p, TreeChange c, CancellationToken ct)
    {
        try
        {
            if (c.Kind != ChangeKind.Delete && await tree.FindAsync(c.Path, ct) is { } now && now.Id == c.Id)
            {
                return await Access.CanReadAsync(p, now, ct);
            }

            var parent = await Access.FindVisibleAsync(p, TreeAccess.ParentOf(c.Path), ct);
            return parent is not null && Grove.Identity.Access.Allows(p, parent, Grove.Identity.Access.List);
        }
        catch (IdentityException)
        {
            return false;
        }
    }

    /// <summary>A query over one directory (list right) or the whole tree; results the caller may not read are left out.</summary>
    public async Task<Page<TreeObject>> QueryAsync(Principal p, TreeQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(query);
        if (query.Parent is not null)
        {
            query = query with { Parent = (await Access.RequireAsync(p, query.Parent, Grove.Identity.Access.List, ct)).Path ?? "/" };
        }
        else if (!p.IsAdmin)
        {
            // Note that a whole-tree query is filtered item by item below; it starts from the root's list right.
            await Access.RequireAsync(p, "/", Grove.Identity.Access.List, ct);
        }

        var page = await tree.QueryAsync(query, ct);
        if (p.IsAdmin)
        {
            return page;
        }

        var visible = new List<TreeObject>(page.Items.Count);
        foreach (var o in page.Items)
        {
            if (await Access.CanReadAsync(p, o, ct))
            {
                visible.Add(o);
            }
        }

        return page with { Items = visible };
    }

    /// <summary>A file's content with its object (read right).</summary>
    public async Task<OpenedFile> OpenFileAsync(Principal p, string path, CancellationToken ct)
    {
        var o = await StatAsync(p, path, ct);
        return o.IsDir
            ? throw new TreeException(TreeErrorCode.IsADirectory, $"{o.Path} is a directory")
            : await tree.OpenFileAsync(o.Path ?? path, ct);
    }

    /// <summary>
    /// Creates a directory (write and list on the deepest existing directory); with <paramref name="parents"/> an
    /// existing directory is returned as it is (<c>Created</c> false), without it an existing one is <c>already_exists</c>.
    /// </summary>
    public async Task<(TreeObject Directory, bool Created)> MkdirAsync(Principal p, string path, bool parents, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(p);
        var existing = await Access.CheckCreateAsync(p, path, ct);
        if (existing is not null)
        {
            return existing.IsDir && parents ? (existing, false) : throw TreeException.Exists(existing.Path ?? path);
        }

        var created = await tree.CreateAsync(path, ObjectRace.Dir, new CreateOptions { Parents = parents, ExistOk = parents, User = UserOf(p) }, ct);
        return (created, true);
    }

    /// <summary>
    /// Checks that the caller may write a file's content at <paramref name="path"/>: create rights where it is missing,
    /// write on it where it exists. Returns the existing file, or null. Fails for a directory.
    /// </summary>
    public async Task<TreeObject?> CheckWriteAsync(Principal p, string path, CancellationToken ct)
    {
        var existing = await Access.CheckCreateAsync(p, path, ct);
        if (existing is not null)
        {
            TreeAccess.Demand(p, existing, Grove.Identity.Access.Write, existing.Path ?? path);
            if (existing.IsDir)
            {
                throw new TreeException(TreeErrorCode.IsADirectory, $"{existing.Path} is a directory");
            }
        }

        return existing;
    }

    /// <summary>Writes a file's content (the rights of <see cref="CheckWriteAsync"/>), as <paramref name="p"/>.</summary>
    public async Task<TreeObject> WriteAsync(Principal p, string path, Stream content, PutOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(p);
        await CheckWriteAsync(p, path, ct);
        return await tree.WriteAsync(path, content, (options ?? new PutOptions()) with { User = UserOf(p) }, ct);
    }

    /// <summary>
    /// Sets and unsets metadata keys (write right); <c>c</c> and <c>m</c> only by admins, <c>md</c> and <c>g</c> only by
    /// the owner or an admin.
    /// </summary>
    public async Task<TreeObject> SetMetaAsync(Principal p, string path, IReadOnlyDictionary<string, object?> set, IReadOnlyCollection<string> unset, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(unset);
        var o = await Access.RequireAsync(p, path, Grove.Identity.Access.Write, ct);
        foreach (var key in set.Keys.Concat(unset))
        {
            if (AdminOnlyKeys.Contains(key))
            {
                TreeAccess.DemandAdmin(p, $"set '{key}'");
            }
            else if (OwnerOnlyKeys.Contains(key) && !p.IsAdmin && o.Creator != p.User)
            {
                throw new IdentityException(IdentityErrorCode.Forbidden, $"only the owner of {o.Path} or an admin may change '{key}'");
            }
        }

        return await tree.SetMetaAsync(o.Path ?? "/", set, unset, UserOf(p), ct);
    }

    /// <summary>Moves an object: write on it and on its parent, create rights at the destination.</summary>
    public async Task<TreeObject> MoveAsync(Principal p, string from, string to, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(p);
        var source = await Access.RequireRemovableAsync(p, from, ct);
        if (await Access.CheckCreateAsync(p, to, ct) is { } taken)
        {
            throw TreeException.Exists(taken.Path ?? to);
        }

        return await tree.MoveAsync(source.Path ?? from, to, UserOf(p), ct);
    }

    /// <summary>
    /// Deletes an object: write on it and on its parent; a subtree (<paramref name="recursive"/>) also needs write and
    /// list on every directory in it, as with <c>rm -r</c>.
    /// </summary>
    public async Task DeleteAsync(Principal p, string path, bool recursive, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(p);
        var o = await Access.RequireRemovableAsync(p, path, ct);
        if (recursive && o.IsDir && !p.IsAdmin)
        {
            await foreach (var child in tree.WalkAsync(o.Path ?? "/", ct))
            {
                if (child.IsDir)
                {
                    TreeAccess.Demand(p, child, Grove.Identity.Access.Write | Grove.Identity.Access.List, child.Path ?? child.Name);
                }
            }
        }

        await tree.DeleteAsync(o.Path ?? "/", recursive, ct);
    }

    /// <summary>Mounts an index or storage (admins only), creating a missing directory once the mount is known to work.</summary>
    public Task<TreeObject> MountAsync(Principal p, string path, string expression, CancellationToken ct)
    {
        TreeAccess.DemandAdmin(p, "mount");
        return tree.MountAsync(path, expression, ct, createMissing: true);
    }

    /// <summary>Removes a mount (admins only).</summary>
    public Task<TreeObject> UnmountAsync(Principal p, string path, CancellationToken ct)
    {
        TreeAccess.DemandAdmin(p, "unmount");
        return tree.UnmountAsync(path, ct);
    }

    /// <summary>Checks content against metadata (admins only).</summary>
    public Task<FsckReport> FsckAsync(Principal p, bool repair, bool removeOrphans, CancellationToken ct)
    {
        TreeAccess.DemandAdmin(p, "run fsck");
        return tree.FsckAsync(repair, removeOrphans, ct);
    }

    /// <summary>Removes expired objects (admins only).</summary>
    public Task<int> SweepExpiredAsync(Principal p, CancellationToken ct)
    {
        TreeAccess.DemandAdmin(p, "sweep");
        return tree.SweepExpiredAsync(ct);
    }
}
