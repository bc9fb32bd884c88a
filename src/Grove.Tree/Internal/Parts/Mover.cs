namespace Grove.Tree.Internal.Parts;

/// <summary>Moves and renames: a directory moves with its subtree in one row update, within one index.</summary>
internal sealed class Mover(PathResolver paths, MountTable mounts, RowWriter rows)
{
    public async Task<TreeObject> MoveAsync(string from, string to, string? user, CancellationToken ct)
    {
        var src = await paths.RequireAsync(from, ct);
        var dest = TreeNames.Normalize(to);
        if (src.Object.IsRoot)
        {
            throw new TreeException(TreeErrorCode.Conflict, "the root cannot be moved");
        }

        if (dest == src.Path)
        {
            return src.Object;
        }

        if (dest.StartsWith(src.Path + "/", StringComparison.Ordinal))
        {
            throw new TreeException(TreeErrorCode.Conflict, $"cannot move {src.Path} into itself ({dest})");
        }

        if (await paths.LocateAsync(dest, ct) is not null)
        {
            throw TreeException.Exists(dest);
        }

        var (parentPath, name) = PathResolver.SplitPath(dest);
        TreeNames.ValidateName(name);
        var parent = await paths.LocateAsync(parentPath, ct)
            ?? await rows.CreateLocatedAsync(parentPath, ObjectRace.Dir, new CreateOptions { ExistOk = true, User = user }, ct);
        if (!parent.Object.IsDir)
        {
            throw new TreeException(TreeErrorCode.NotADirectory, $"{parentPath} is a file");
        }

        var (ctx, _) = await mounts.ChildContextAsync(parent, ct);
        if (!ReferenceEquals(ctx, src.Context))
        {
            throw new TreeException(TreeErrorCode.NotSupported, $"{src.Path} and {parentPath} are in different mounts; copy instead of moving");
        }

        if (src.Object.Mount is not null && ctx.Foreign)
        {
            throw new TreeException(TreeErrorCode.NotSupported, "a mount point cannot move into a mount");
        }

        var newParent = ctx.LocalId(parent.Object.Id);
        try
        {
            var moved = await rows.MutateAsync(src, row => (row with
            {
                ParentId = newParent,
                Name = name,
                Type = row.IsDir ? null : TreeNames.TypeOf(name),
                Modifier = user ?? row.Modifier,
            }, null), ct, structural: src.Object.IsDir, kind: ChangeKind.Move, newPath: dest);
            return moved.Object with { Path = dest };
        }
        finally
        {
            if (src.Object.IsDir || ctx.PathAddressed)
            {
                paths.Cache.Clear();
            }
            else
            {
                paths.Cache.Invalidate(dest, src.Object.Id);
            }
        }
    }
}
