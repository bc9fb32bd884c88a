namespace Grove.Tree.Storage;

/// <summary>
/// Stores object rows and blob reference counts for part of the tree. Built-in: SQLite (embedded default),
/// PostgreSQL (scale-out), memory (throwaway), local files (<c>file://</c> mounts); others come from providers
/// registered on a <see cref="StorageRegistry"/>. Names sort ordinally (byte order of UTF-8 for SQL stores) in every
/// implementation, so paging behaves the same everywhere. What an indexer can do is declared by
/// <see cref="Capabilities"/>; the kernel never asks which kind it is.
/// </summary>
public interface IIndexer : IAsyncDisposable
{
    /// <summary>The provider's kind name (<c>sqlite</c>, <c>postgres</c>, <c>mem</c>, <c>file</c>…), for messages only.</summary>
    string Kind { get; }

    /// <summary>What this indexer supports; the kernel adapts to it.</summary>
    IndexerCapabilities Capabilities { get; }

    /// <summary>Creates the schema if needed and returns the root row (creating it with <paramref name="rootId"/> on first use).</summary>
    Task<TreeObject> InitializeAsync(string rootId, long now, CancellationToken ct);

    /// <summary>The row with this (local) id, with its inline content, or null.</summary>
    ValueTask<TreeObject?> GetAsync(string id, CancellationToken ct);

    /// <summary>The child named <paramref name="name"/> of <paramref name="parentId"/>, or null.</summary>
    ValueTask<TreeObject?> GetChildAsync(string parentId, string name, CancellationToken ct);

    /// <summary>Children of <paramref name="parentId"/> with names ordinally after <paramref name="afterName"/>, in name order.</summary>
    Task<IReadOnlyList<TreeObject>> ListAsync(string parentId, string? afterName, int limit, CancellationToken ct);

    /// <summary>Rows matching a query, in its order (see <see cref="IndexQuery"/>).</summary>
    Task<IReadOnlyList<TreeObject>> QueryAsync(IndexQuery query, CancellationToken ct);

    /// <summary>Whether the directory has any child.</summary>
    Task<bool> HasChildrenAsync(string parentId, CancellationToken ct);

    /// <summary>
    /// Applies the change set in one transaction. Throws <see cref="TreeException"/> with
    /// <see cref="TreeErrorCode.AlreadyExists"/> on a duplicate (pid, nm) and <see cref="TreeErrorCode.Conflict"/>
    /// when an update or delete finds another version; then nothing of the set is applied.
    /// </summary>
    Task CommitAsync(ChangeSet changes, CancellationToken ct);

    /// <summary>Objects whose <c>expi</c> is at or before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<TreeObject>> ExpiredAsync(long now, int limit, CancellationToken ct);

    /// <summary>Creates an index on a custom metadata key so queries on it do not scan (with <see cref="IndexerCapabilities.ExpressionIndexes"/>).</summary>
    Task EnsureIndexAsync(string key, CancellationToken ct);

    /// <summary>The reference row of a blob, or null.</summary>
    Task<BlobRow?> GetBlobAsync(string bucket, string sha256, CancellationToken ct);

    /// <summary>Blob rows of a bucket in hash order after <paramref name="afterSha"/>.</summary>
    Task<IReadOnlyList<BlobRow>> ListBlobsAsync(string bucket, string? afterSha, int limit, CancellationToken ct);

    /// <summary>Deletes the blob row if its count is still zero and it has been zero since before <paramref name="zeroBefore"/>.</summary>
    Task<bool> DeleteBlobRowIfUnreferencedAsync(string bucket, string sha256, long zeroBefore, CancellationToken ct);

    /// <summary>
    /// Blob rows whose reference count has been zero since at or before <paramref name="zeroBefore"/> (Unix ms), in
    /// (zero since, bucket, hash) order after <paramref name="after"/>: what the background reclaim removes. Indexers
    /// without reference counts return none (only fsck's sweep reclaims their buckets).
    /// </summary>
    Task<IReadOnlyList<BlobRow>> UnreferencedBlobsAsync(long zeroBefore, BlobRow? after, int limit, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<BlobRow>>([]);

    /// <summary>File rows that point into a bucket (not inline), in id order after <paramref name="afterId"/>: for fsck.</summary>
    Task<IReadOnlyList<TreeObject>> ContentRowsAsync(string? afterId, int limit, CancellationToken ct);

    /// <summary>
    /// The id of a new row named <paramref name="name"/> under <paramref name="parentId"/>: a random id, or for a
    /// <see cref="IndexerCapabilities.PathAddressed"/> indexer the row's relative path.
    /// </summary>
    string NewId(string parentId, string name) => ObjectIds.New();
}
