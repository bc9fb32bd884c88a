namespace Grove.Tree;

/// <summary>The background reclaim of unreferenced content (<see cref="TreeService.ReclaimStats"/>).</summary>
public sealed record ReclaimStats
{
    /// <summary>Bytes of content no row references, waiting for the grace period (or a bucket that refused) at the last pass.</summary>
    public long PendingBytes { get; init; }

    /// <summary>How many such blobs.</summary>
    public long PendingBlobs { get; init; }

    /// <summary>Bytes removed since the tree opened.</summary>
    public long ReclaimedBytes { get; init; }

    /// <summary>Blobs removed since the tree opened.</summary>
    public long ReclaimedBlobs { get; init; }

    /// <summary>When the last pass ran on this node, or null.</summary>
    public DateTimeOffset? LastPass { get; init; }

    /// <summary>Why the last pass failed, or null.</summary>
    public string? LastError { get; init; }
}
