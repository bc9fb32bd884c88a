using Grove.Tree.Internal;

namespace Grove.Tree;

public sealed partial class TreeService
{
    /// <summary>
    /// Moves or renames an object to exactly <paramref name="to"/>. A directory moves with its subtree in one row
    /// update (descendants point at it by id and are not rewritten). Fails if <paramref name="to"/> exists.
    /// </summary>
    public async Task<TreeObject> MoveAsync(string from, string to, string? user = null, CancellationToken ct = default)
    {
        var src = await RequireAsync(from, ct);
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

        if (await LocateAsync(dest, ct) is not null)
        {
            throw TreeException.Exists(dest);
        }

        var (parentPath, name) = SplitPath(dest);
        TreeNames.ValidateName(name);
        var parent = await LocateAsync(parentPath, ct)
            ?? await CreateLocatedAsync(parentPath, ObjectRace.Dir, new CreateOptions { ExistOk = true, User = user }, ct);
        if (!parent.Object.IsDir)
        {
            throw new TreeException(TreeErrorCode.NotADirectory, $"{parentPath} is a file");
        }

        var (ctx, _) = await ChildContextAsync(parent, ct);
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
            var moved = await MutateAsync(src, row => (row with
            {
                ParentId = newParent,
                Name = name,
                Type = row.IsDir ? null : TreeNames.TypeOf(name),
                Modifier = user ?? row.Modifier,
            }, null), ct, structural: src.Object.IsDir);
            return moved.Object with { Path = dest };
        }
        finally
        {
            if (src.Object.IsDir || ctx.PathAddressed)
            {
                _cache.Clear();
            }
            else
            {
                _cache.Invalidate(dest, src.Object.Id);
            }
        }
    }
}
