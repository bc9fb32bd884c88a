namespace Grove.Config.Internal;

/// <summary>
/// Where configs persist. The tree is the real one (<see cref="TreeConfigStore"/>); the seam lets tests make the
/// store fail. Any exception other than <see cref="ConfigException"/>, <c>TreeException</c> or cancellation means
/// the store is unreachable.
/// </summary>
internal interface IConfigStore : IAsyncDisposable
{
    /// <summary>Raised when another node may have committed changes (never for this node's own commits).</summary>
    event Action? RemoteChanged;

    /// <summary>The store's current revision, read from the database itself (a probe).</summary>
    Task<long> ReadRevisionAsync(CancellationToken ct);

    /// <summary>Every config and beta, with its revision.</summary>
    IAsyncEnumerable<StoredHeader> ListAllAsync(CancellationToken ct);

    Task<StoredConfig?> ReadMainAsync(ConfigKey key, CancellationToken ct);

    Task<StoredBeta?> ReadBetaAsync(ConfigKey key, CancellationToken ct);

    /// <summary>
    /// Reads the keys' states, asks <paramref name="decide"/> what to change, and commits the changes, one revision
    /// each, with their history entries, in one transaction; reads and decides again when another writer got there
    /// first. <paramref name="needs"/> says what of the current state <paramref name="decide"/> looks at (a state
    /// read without its body carries an empty one). <paramref name="decide"/> may throw to abort.
    /// </summary>
    Task<IReadOnlyList<AppliedChange>> CommitAsync(IReadOnlyList<ConfigKey> keys, ReadNeeds needs, Func<IReadOnlyDictionary<ConfigKey, KeyState>, IReadOnlyList<Change>> decide, CancellationToken ct);

    /// <summary>Change-feed entries after <paramref name="afterRev"/>, in revision order.</summary>
    Task<IReadOnlyList<LogRecord>> ReadLogAsync(long afterRev, int limit, CancellationToken ct);

    /// <summary>A key's history entries, newest first, without bodies.</summary>
    Task<IReadOnlyList<HistoryRecord>> ListHistoryAsync(ConfigKey key, long? beforeId, int limit, CancellationToken ct);

    /// <summary>One history entry with its body, or null.</summary>
    Task<HistoryRecord?> GetHistoryAsync(long id, CancellationToken ct);

    /// <summary>History entries of all keys, newest first, without bodies.</summary>
    Task<IReadOnlyList<HistoryRecord>> ListAuditAsync(AuditQuery query, CancellationToken ct);
}
