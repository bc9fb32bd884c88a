namespace Grove.Logs;

/// <summary>How a <see cref="LogService"/> stores, limits and serves task logs.</summary>
public sealed record LogOptions
{
    /// <summary>The tree folder holding archived logs as <c>&lt;Root&gt;/yyyy/MM/dd/&lt;task&gt;.log</c>. Default <c>/logs</c>.</summary>
    public string Root { get; init; } = "/logs";

    /// <summary>
    /// Which live store: automatic (the tree's PostgreSQL database when the tree is on PostgreSQL, else local files),
    /// or forced (PostgreSQL needs a tree on PostgreSQL).
    /// </summary>
    public LiveStoreKind LiveStore { get; init; } = LiveStoreKind.Auto;

    /// <summary>The folder of the local live store. Default <c>&lt;tree data folder&gt;/logs-live</c>.</summary>
    public string? LivePath { get; init; }

    /// <summary>
    /// Flush each appended batch to the disk (fsync) before acknowledging it, so it survives power loss and not only
    /// <c>kill -9</c> (which a completed write survives anyway). Default: the tree's <see cref="Grove.Tree.TreeOptions.FullSync"/>,
    /// so one setting governs the data folder's durability. Applies to the local store.
    /// </summary>
    public bool? FlushToDisk { get; init; }

    /// <summary>Most text bytes kept per task (default 1 GiB): past it the head and the tail are kept around a marker line.</summary>
    public long MaxTaskBytes { get; init; } = 1L << 30;

    /// <summary>Most bytes of one line (default 1 MiB): a longer line keeps its head and tail around a marker.</summary>
    public int MaxLineBytes { get; init; } = 1 << 20;

    /// <summary>Most text bytes in one append (default 16 MiB); a bigger batch fails with <c>too_large</c>.</summary>
    public int MaxBatchBytes { get; init; } = 16 << 20;

    /// <summary>Most lines in one append (default 100,000); a bigger batch fails with <c>too_large</c>.</summary>
    public int MaxBatchLines { get; init; } = 100_000;

    /// <summary>Lines in a page when none is asked for (default 1,000).</summary>
    public int DefaultPageSize { get; init; } = 1000;

    /// <summary>Most lines in a page (default 10,000).</summary>
    public int MaxPageSize { get; init; } = 10_000;

    /// <summary>Most matches one search returns (default 10,000).</summary>
    public int MaxSearchMatches { get; init; } = 10_000;

    /// <summary>Longest search pattern, in characters (default 1,000).</summary>
    public int MaxPatternLength { get; init; } = 1000;

    /// <summary>A running task with no append or heartbeat for this long is finished as abandoned (default 10 min).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Archived logs finished longer ago than this are deleted by the retention sweep; null keeps them (default 90 days).</summary>
    public TimeSpan? Retention { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Text bytes per independently compressed archive block (default 256 KiB).</summary>
    public int ArchiveBlockBytes { get; init; } = 256 * 1024;

    /// <summary>Brotli quality of archive blocks, 0 to 11 (default 6).</summary>
    public int ArchiveQuality { get; init; } = 6;

    /// <summary>Finished tasks waiting in memory for the archiver; past it they wait in the store for the next scan.</summary>
    public int ArchiveQueueCapacity { get; init; } = 10_000;

    /// <summary>Tasks archived at once (default 2).</summary>
    public int ArchiveWorkers { get; init; } = 2;

    /// <summary>Run the archiver and the periodic sweeps (idle, retention, re-queue) in the background. Default true.</summary>
    public bool Background { get; init; } = true;

    /// <summary>How often the background sweeps run (default 30 s).</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a follower re-checks without being woken (a safety net for missed notifications; default 2 s).</summary>
    public TimeSpan FollowPoll { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock. Default: the tree's.</summary>
    public TimeProvider? Time { get; init; }
}
