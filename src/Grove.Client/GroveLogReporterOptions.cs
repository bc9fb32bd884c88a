namespace Grove.Client;

/// <summary>How a <see cref="GroveLogReporter"/> batches, queues, retries and spills.</summary>
public sealed record GroveLogReporterOptions
{
    /// <summary>The most a batch carries, in bytes of text (at most 1 MiB, the default). A single longer line goes alone.</summary>
    public int MaxBatchBytes { get; init; } = 1 << 20;

    /// <summary>The most lines a batch carries (default 20,000).</summary>
    public int MaxBatchLines { get; init; } = 20_000;

    /// <summary>How long a line may wait for its batch to fill before it is sent anyway (at most 1 s; default 200 ms).</summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The in-memory queue's bound, in bytes of text not yet acknowledged (default 16 MiB).</summary>
    public long QueueBytes { get; init; } = 16L << 20;

    /// <summary>What a write does when the queue is full and there is no room on disk either.</summary>
    public GroveLogQueueFullPolicy QueueFull { get; init; } = GroveLogQueueFullPolicy.Wait;

    /// <summary>
    /// A folder for lines the queue cannot hold while the server is unreachable: with it, a server outage of minutes
    /// loses nothing and blocks nobody. The spill file is deleted when the reporter is disposed. Null: no spill.
    /// </summary>
    public string? SpillDirectory { get; init; }

    /// <summary>The most bytes the spill file may hold (default 1 GiB); past it the <see cref="QueueFull"/> policy applies.</summary>
    public long MaxSpillBytes { get; init; } = 1L << 30;

    /// <summary>The first retry's wait; each further one doubles it, with random jitter (default 100 ms).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between retries (default 10 s).</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one append may take before it is abandoned and retried (default 30 s).</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A quiet task is kept alive with a heartbeat this often (default 60 s; the server abandons it after 10 min).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long disposing waits for queued lines to be delivered before giving up on them (default 30 s).</summary>
    public TimeSpan DisposeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock of line time stamps and delays. Default: the system's.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
