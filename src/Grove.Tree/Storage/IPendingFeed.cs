namespace Grove.Tree.Storage;

/// <summary>
/// An index outside the store's database that keeps the change feed's entry of each commit beside its rows
/// (<see cref="ChangeSet.Feed"/>, written in the same atomic step), so a commit answers without a second write to the
/// store's database. The tree moves the entries into the feed after the commit, in order and once each (the feed
/// records the last sequence it took from every source, in the transaction that takes them), also after a process
/// stopped between a commit and its move: the entries wait in the index until a node of the same store opens it.
/// </summary>
public interface IPendingFeed
{
    /// <summary>The name of this index's entries, the same on every node that shares the index.</summary>
    string FeedSource { get; }

    /// <summary>
    /// Drops the entries of <paramref name="log"/> up to <paramref name="after"/> (the feed holds them) and returns up
    /// to <paramref name="limit"/> of those after it, oldest first.
    /// </summary>
    Task<IReadOnlyList<PendingFeedEntry>> PendingAsync(string log, long after, int limit, CancellationToken ct);
}

/// <summary>A change feed entry for an index that keeps it (<see cref="IPendingFeed"/>) until the feed takes it.</summary>
/// <param name="log">
/// Which feed it belongs to: one per store, so nodes with stores of their own that share the index each move their
/// own commits' entries.
/// </param>
/// <param name="entry">The entry's bytes, handed back as they were given.</param>
/// <param name="taken">The last sequence of the log the feed holds: the index may drop the entries up to it.</param>
public sealed class FeedEntry(string log, ReadOnlyMemory<byte> entry, long taken)
{
    /// <summary>The log the entry belongs to.</summary>
    public string Log { get; } = log;

    /// <summary>The entry's bytes.</summary>
    public ReadOnlyMemory<byte> Entry { get; } = entry;

    /// <summary>The last sequence of the log the feed holds (0: none, or not known).</summary>
    public long Taken { get; } = taken;

    /// <summary>The sequence the index gave the entry, set when the commit applied.</summary>
    public long Sequence { get; set; }
}

/// <summary>A change feed entry kept by an index (<see cref="IPendingFeed"/>).</summary>
/// <param name="Sequence">Its number: increasing in commit order within its log, from 1.</param>
/// <param name="Entry">The bytes the commit carried in <see cref="FeedEntry.Entry"/>.</param>
public readonly record struct PendingFeedEntry(long Sequence, ReadOnlyMemory<byte> Entry);
