namespace Grove.Records;

/// <summary>Options of the records engine (<c>Grove:Records</c> in the server's configuration).</summary>
public sealed record RecordsOptions
{
    /// <summary>Rows the primary-key hot cache holds (seed 002's GlobalCacheNum); 0 turns it off.</summary>
    public int CacheCapacity { get; init; } = 100_000;

    /// <summary>The page size when a query gives none.</summary>
    public int DefaultPageSize { get; init; } = 100;

    /// <summary>The largest page a query may ask for.</summary>
    public int MaxPageSize { get; init; } = 1000;

    /// <summary>The deepest row a page-number query may reach (page × size); deeper pages need the keyset cursor.</summary>
    public int MaxPageOffset { get; init; } = 100_000;

    /// <summary>Rows moved per rotation batch at most (one transaction each).</summary>
    public int RotationBatchRows { get; init; } = 10_000;

    /// <summary>
    /// About how long one rotation batch may hold SQLite's write lock while other writers wait: after a batch that
    /// kept a writer waiting, the next is sized from its rate to last about this long, so inserts keep going during
    /// a rotation; without waiting writers batches grow to <see cref="RotationBatchRows"/>.
    /// </summary>
    public TimeSpan RotationBatchTime { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often every node tries to rotate every set with a history policy (one rotator wins the lease); null: on demand only.</summary>
    public TimeSpan? RotationInterval { get; init; }

    /// <summary>The rotator's lease; renewed after every batch.</summary>
    public TimeSpan RotationLease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Rows per committed chunk of a bulk load (one prepared batch on SQLite, one binary COPY on PostgreSQL).</summary>
    public int BulkChunkRows { get; init; } = 5000;

    /// <summary>The clock; default the tree's.</summary>
    public TimeProvider? Time { get; init; }
}
