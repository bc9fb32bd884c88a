namespace Grove.Tree.Storage;

/// <summary>
/// An index outside the store's database that keeps the change feed's entry of each commit beside its rows
/// (<see cref="ChangeSet.Feed"/>, written in the same atomic step), so a commit answers without a second write to the
/// store's database. The tree moves the entries into the feed after the commit, in order and once each (the feed
/// records the last sequence it took from every source, in the transaction that takes them), also after a process
/// stopped between a commit and its move: the entries wait in the index until the next node that opens it moves them.
/// </summary>
public interface IPendingFeed
{
    /// <summary>The name of this index's entries, the same on every node that shares the index.</summary>
    string FeedSource { get; }

    /// <summary>Up to <paramref name="limit"/> entries waiting, oldest first.</summary>
    Task<IReadOnlyList<PendingFeedEntry>> PendingAsync(int limit, CancellationToken ct);

    /// <summary>Drops the entries up to <paramref name="sequence"/>, which the feed holds now.</summary>
    Task ForgetAsync(long sequence, CancellationToken ct);
}

/// <summary>A change feed entry kept by an index (<see cref="IPendingFeed"/>).</summary>
/// <param name="Sequence">Its number: increasing in commit order within its source, from 1.</param>
/// <param name="Entry">The bytes the commit carried as <see cref="ChangeSet.Feed"/>.</param>
public readonly record struct PendingFeedEntry(long Sequence, ReadOnlyMemory<byte> Entry);
