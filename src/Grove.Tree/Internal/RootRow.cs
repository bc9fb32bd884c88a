namespace Grove.Tree.Internal;

/// <summary>The root row (pid and nm empty), shared by the indexers that hold a whole tree.</summary>
internal static class RootRow
{
    /// <summary>Returns the root, creating it with <paramref name="rootId"/> if the index has none yet.</summary>
    public static async Task<TreeObject> EnsureAsync(IIndexer indexer, string rootId, long now, CancellationToken ct)
    {
        if (await indexer.GetChildAsync("", "", ct) is { } existing)
        {
            return existing;
        }

        var root = new TreeObject { Id = rootId, ParentId = "", Name = "", Race = ObjectRace.Dir, Mode = 0b111_101_101, Created = now, Modified = now, Version = 1 };
        try
        {
            await indexer.CommitAsync(new ChangeSet().Insert(root), ct);
            return root;
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.AlreadyExists)
        {
            // Another process created the root first: the unique (pid, nm) index decided, so use theirs.
            return (await indexer.GetChildAsync("", "", ct))!;
        }
    }
}
