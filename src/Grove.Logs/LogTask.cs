namespace Grove.Logs;

/// <summary>A task and the state of its log. Times are milliseconds since the Unix epoch.</summary>
public sealed record LogTask
{
    /// <summary>The task id: 26 lower-case base-32 characters, sortable by creation time.</summary>
    public required string Id { get; init; }

    /// <summary>The name given at creation.</summary>
    public required string Name { get; init; }

    /// <summary>Who created the task (the owner of its tree object); null when the engine was called without one.</summary>
    public string? Owner { get; init; }

    /// <summary>Labels given at creation.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Running, or how it finished.</summary>
    public LogTaskStatus Status { get; init; }

    /// <summary>The exit code given when finishing, if any.</summary>
    public int? ExitCode { get; init; }

    /// <summary>When the task was created.</summary>
    public long Created { get; init; }

    /// <summary>When it finished; null while running.</summary>
    public long? Finished { get; init; }

    /// <summary>The last append or heartbeat seen (as known to this node; for archived tasks the finish time).</summary>
    public long LastActivity { get; init; }

    /// <summary>Lines received: the next line number the task expects, and the total that pages report.</summary>
    public long Lines { get; init; }

    /// <summary>Text bytes received (UTF-8, without line breaks), counting lines the limits dropped.</summary>
    public long Bytes { get; init; }

    /// <summary>True when the limits cut lines or dropped part of the log.</summary>
    public bool Truncated => DroppedLines > 0 || LinesCut > 0;

    /// <summary>Lines dropped between the kept head and tail because the task passed its byte limit.</summary>
    public long DroppedLines { get; init; }

    /// <summary>Text bytes of the dropped lines.</summary>
    public long DroppedBytes { get; init; }

    /// <summary>Lines longer than the line limit, kept as their head and tail around a marker.</summary>
    public long LinesCut { get; init; }

    /// <summary>Which copy serves reads now.</summary>
    public LogStorage Storage { get; init; }

    /// <summary>The tree path of the task's object, which holds the archive once the log is archived.</summary>
    public required string Path { get; init; }
}
