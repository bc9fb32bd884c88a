namespace Grove.Tree.Internal;

/// <summary>
/// Stores object rows and blob reference counts. Implementations: SQLite (embedded default), PostgreSQL
/// (scale-out), memory (throwaway), local files (<c>file://</c> mounts). Names sort ordinally (byte order of UTF-8
/// for SQL stores) in every implementation, so paging behaves the same everywhere.
/// </summary>
internal interface IIndexer : IAsyncDisposable
{
    /// <summary>Short kind name: <c>sqlite</c>, <c>pg</c>, <c>mem</c>, <c>file</c>.</summary>
    string Kind { get; }

    /// <summary>Whether custom metadata and labels can be stored.</summary>
    bool SupportsMeta { get; }

    /// <summary>Creates the schema if needed and returns the root row (creating it with <paramref name="rootId"/> on first use).</summary>
    Task<TreeObject> InitializeAsync(string rootId, long now, CancellationToken ct);

    ValueTask<TreeObject?> GetAsync(string id, CancellationToken ct);

    ValueTask<TreeObject?> GetChildAsync(string parentId, string name, CancellationToken ct);

    /// <summary>Children of <paramref name="parentId"/> with names ordinally after <paramref name="afterName"/>, in name order.</summary>
    Task<IReadOnlyList<TreeObject>> ListAsync(string parentId, string? afterName, int limit, CancellationToken ct);

    Task<IReadOnlyList<TreeObject>> QueryAsync(IndexQuery query, CancellationToken ct);

    Task<bool> HasChildrenAsync(string parentId, CancellationToken ct);

    /// <summary>
    /// Applies the change set in one transaction. Throws <see cref="TreeException"/> with
    /// <see cref="TreeErrorCode.AlreadyExists"/> on a duplicate (pid, nm) and <see cref="TreeErrorCode.Conflict"/>
    /// when an update or delete finds another version; then nothing of the set is applied.
    /// </summary>
    Task CommitAsync(ChangeSet changes, CancellationToken ct);

    /// <summary>Objects whose <c>expi</c> is at or before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<TreeObject>> ExpiredAsync(long now, int limit, CancellationToken ct);

    /// <summary>Creates an index on a custom metadata key so queries on it do not scan.</summary>
    Task EnsureIndexAsync(string key, CancellationToken ct);

    Task<BlobRow?> GetBlobAsync(string bucket, string sha256, CancellationToken ct);

    /// <summary>Blob rows of a bucket in hash order after <paramref name="afterSha"/>.</summary>
    Task<IReadOnlyList<BlobRow>> ListBlobsAsync(string bucket, string? afterSha, int limit, CancellationToken ct);

    /// <summary>Deletes the blob row if its count is still zero and it has been zero since before <paramref name="zeroBefore"/>.</summary>
    Task<bool> DeleteBlobRowIfUnreferencedAsync(string bucket, string sha256, long zeroBefore, CancellationToken ct);

    /// <summary>
    /// Starts delivering other processes' committed changes to <paramref name="onChange"/>: the changed row ids, or
    /// null for "anything may have changed" (a structural change, or a gap after a lost connection). Returns once
    /// delivery is live. Indexers that no other process can write do nothing.
    /// </summary>
    Task SubscribeAsync(Action<IReadOnlyList<string>?> onChange, CancellationToken ct) => Task.CompletedTask;

    /// <summary>File rows that point into a bucket (not inline), in id order after <paramref name="afterId"/>: for fsck.</summary>
    Task<IReadOnlyList<TreeObject>> ContentRowsAsync(string? afterId, int limit, CancellationToken ct);
}
