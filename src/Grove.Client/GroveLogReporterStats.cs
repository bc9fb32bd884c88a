namespace Grove.Client;

/// <summary>What a <see cref="GroveLogReporter"/> has done so far.</summary>
public sealed record GroveLogReporterStats
{
    /// <summary>Lines written by the application (after splitting on line breaks), including marker lines.</summary>
    public long Written { get; init; }

    /// <summary>Lines the server has acknowledged: its count of the task's lines.</summary>
    public long Acknowledged { get; init; }

    /// <summary>Lines dropped because the queue was full (with <see cref="GroveLogQueueFullPolicy.Drop"/>), or written after disposal.</summary>
    public long Dropped { get; init; }

    /// <summary>Lines given up: the server refused the task for good, or disposal timed out before they were delivered.</summary>
    public long Lost { get; init; }

    /// <summary>Batches the server accepted.</summary>
    public long Batches { get; init; }

    /// <summary>Appends that failed and were tried again.</summary>
    public long Retries { get; init; }

    /// <summary>Bytes in the spill file now.</summary>
    public long SpilledBytes { get; init; }

    /// <summary>The last failure, for diagnostics; null when the last append succeeded.</summary>
    public string? LastError { get; init; }

    /// <summary>True when the server refused the task for good (finished, deleted, forbidden): nothing more is sent.</summary>
    public bool Stopped { get; init; }
}
