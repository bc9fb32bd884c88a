namespace Grove.Tree;

/// <summary>What a committed change did to an object.</summary>
public enum ChangeKind
{
    /// <summary>The object was created (a file with its first content, or a directory).</summary>
    Create,

    /// <summary>A file's content was replaced.</summary>
    Write,

    /// <summary>Metadata, labels, mode or mount changed.</summary>
    Meta,

    /// <summary>The object moved or was renamed (<see cref="TreeChange.OldPath"/> is where it was).</summary>
    Move,

    /// <summary>The object was deleted (a directory with everything under it).</summary>
    Delete,
}

/// <summary>
/// One committed change of the tree, as the change feed reports it: revisions grow in commit order.
/// </summary>
/// <param name="Revision">The change's place in the feed (resume after it with <see cref="TreeService.ChangesAsync"/>).</param>
/// <param name="Kind">What happened.</param>
/// <param name="Path">The object's path after the change (its last path for a delete).</param>
/// <param name="OldPath">Where a moved object was; null otherwise.</param>
/// <param name="Id">The object's id.</param>
/// <param name="IsDir">Whether the object is a directory.</param>
/// <param name="Version">The object's version after the change (0 for a delete).</param>
/// <param name="User">Who made the change, when known.</param>
/// <param name="Time">When it committed (Unix ms, this node's clock).</param>
public sealed record TreeChange(long Revision, ChangeKind Kind, string Path, string? OldPath, string Id, bool IsDir, long Version, string? User, long Time)
{
    /// <summary>Whether the change concerns <paramref name="root"/> or something under it (a move counts on either side).</summary>
    public bool IsUnder(string root) =>
        Under(Path, root) || (OldPath is not null && Under(OldPath, root))
        || (Kind is ChangeKind.Delete or ChangeKind.Move && (Under(root, Path) || (OldPath is not null && Under(root, OldPath))));

    private static bool Under(string path, string root) =>
        root == "/" || path == root || path.StartsWith(root + "/", StringComparison.Ordinal);
}

/// <summary>A page of the change feed.</summary>
/// <param name="Changes">The changes under the path asked for, in revision order.</param>
/// <param name="Revision">Resume after this revision (the last revision read, whether or not it was under the path).</param>
/// <param name="Resync">
/// True when changes after the revision asked for are no longer kept (retention), or the revision is unknown to this
/// store: the reader must re-read what it follows and continue from <see cref="Revision"/>. Nothing is skipped silently.
/// </param>
public sealed record ChangePage(IReadOnlyList<TreeChange> Changes, long Revision, bool Resync);
