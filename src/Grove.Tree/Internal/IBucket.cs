namespace Grove.Tree.Internal;

/// <summary>
/// Holds file content. Content-addressed buckets (local, memory) store each distinct content once, named by its
/// SHA-256, and count references in the indexer; the local-file bucket of <c>file://</c> mounts writes the real files.
/// </summary>
internal interface IBucket
{
    /// <summary>The name stored in <c>bk</c>: "" for the default bucket, <c>lbm:Name</c>, <c>mem</c>, <c>file:…</c>.</summary>
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
    bool Exists(string sha256);

    /// <summary>Blob files with their last write time, for fsck.</summary>
    IEnumerable<(string Sha256, DateTimeOffset Written)> EnumerateBlobs();

    /// <summary>Removes an unreferenced blob unless it was written or touched after <paramref name="notAfter"/>.</summary>
    bool TryRemove(string sha256, DateTimeOffset notAfter);

    /// <summary>Swap files left behind by writes that never finished, older than <paramref name="olderThan"/>; removed.</summary>
    int RemoveStaleSwap(DateTimeOffset olderThan);
}
