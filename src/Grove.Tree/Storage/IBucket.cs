namespace Grove.Tree.Storage;

/// <summary>
/// Holds file content. Content-addressed buckets (local, memory, PostgreSQL chunks) store each distinct content
/// once, named by its SHA-256, and count references in the indexer; the local-file bucket of <c>file://</c> mounts
/// writes the real files. Every call that may touch a disk or a network is asynchronous.
/// </summary>
public interface IBucket
{
    /// <summary>The name stored in <c>bk</c>: <c>""</c> for the default bucket, else <c>kind:setting</c> (<c>lbm:Name</c>, <c>pgbm:Name</c>, <c>file:HomeId</c>).</summary>
    string Name { get; }

    /// <summary>Whether content is de-duplicated by hash and reference-counted.</summary>
    bool ContentAddressed { get; }

    /// <summary>Starts a new content write; the stream hashes what it is given.</summary>
    SwapWriter CreateWriter(int inlineThreshold);

    /// <summary>
    /// Makes the written content durable under its hash (or, for the file bucket, at <paramref name="target"/>)
    /// before any metadata points at it. Content already present is not written again.
    /// </summary>
    Task PlaceAsync(SwapWriter writer, TreeObject target, CancellationToken ct);

    /// <summary>Opens stored content for reading.</summary>
    Task<Stream> OpenReadAsync(TreeObject obj, CancellationToken ct);

    /// <summary>Whether the blob exists.</summary>
    ValueTask<bool> ExistsAsync(string sha256, CancellationToken ct);

    /// <summary>Every blob with its last write time, for fsck; streamed in bounded memory.</summary>
    IAsyncEnumerable<StoredBlob> ListBlobsAsync(CancellationToken ct);

    /// <summary>Removes an unreferenced blob unless it was written or touched after <paramref name="notAfter"/>.</summary>
    ValueTask<bool> TryRemoveAsync(string sha256, DateTimeOffset notAfter, CancellationToken ct);

    /// <summary>Swap files left behind by writes that never finished, older than <paramref name="olderThan"/>; removed. Returns how many.</summary>
    ValueTask<int> RemoveStaleSwapAsync(DateTimeOffset olderThan, CancellationToken ct);
}

/// <summary>A blob as a bucket lists it.</summary>
/// <param name="Sha256">The content address.</param>
/// <param name="Written">When it was last written or touched.</param>
/// <param name="Length">Its length in bytes, when the bucket knows it cheaply (else -1).</param>
public readonly record struct StoredBlob(string Sha256, DateTimeOffset Written, long Length = -1);
