namespace Grove.Messages;

/// <summary>
/// What <see cref="MessageEngine.MigrateAsync"/> reads: a legacy table of one row per field (the seed's version 2),
/// its columns named by the caller since every legacy schema differs, and the legacy field-config table that the
/// old system translated with (missing mappings are generated from it and published before the data moves).
/// </summary>
public sealed record MigrationOptions
{
    /// <summary>The legacy database: <c>sqlite:PATH</c>, <c>postgres://user:pass@host:port/db</c> or an Npgsql connection string.</summary>
    public required string From { get; init; }

    /// <summary>The row-per-field table.</summary>
    public required string Table { get; init; }

    /// <summary>The message id column (integers; rows of one message share it). It becomes the message's source id.</summary>
    public string IdColumn { get; init; } = "id";

    /// <summary>The partner column.</summary>
    public string PartnerColumn { get; init; } = "partner";

    /// <summary>The field name column.</summary>
    public string FieldColumn { get; init; } = "field";

    /// <summary>The field value column.</summary>
    public string ValueColumn { get; init; } = "value";

    /// <summary>The display name column, or null; without a config table, generated mappings take display names from it.</summary>
    public string? DisplayColumn { get; init; }

    /// <summary>The received-time column (Unix seconds or milliseconds, or ISO 8601 text; +08:00 when it has no offset), or null (the migration's time).</summary>
    public string? TimeColumn { get; init; }

    /// <summary>The message type column, or null: every message then gets <see cref="Type"/>.</summary>
    public string? TypeColumn { get; init; }

    /// <summary>The type of every migrated message when there is no <see cref="TypeColumn"/>.</summary>
    public string Type { get; init; } = "legacy";

    /// <summary>The legacy field-config table (partner, field, display name), or null.</summary>
    public string? ConfigTable { get; init; }

    /// <summary>The config table's partner column.</summary>
    public string ConfigPartnerColumn { get; init; } = "partner";

    /// <summary>The config table's field column.</summary>
    public string ConfigFieldColumn { get; init; } = "field";

    /// <summary>The config table's display name column.</summary>
    public string ConfigDisplayColumn { get; init; } = "display";

    /// <summary>Legacy fields that generated mappings index as business keys (at most four).</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>Parallel readers (default: the processor count).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Message ids per range (the unit of work and of checkpointing).</summary>
    public int RangeSize { get; init; } = 1_000;

    /// <summary>Continue a migration of the same source and table that stopped: ranges already checkpointed are skipped.</summary>
    public bool Resume { get; init; }

    /// <summary>Messages compared field by field in the final verification.</summary>
    public int SampleSize { get; init; } = 100;

    /// <summary>
    /// A crash drill (0: off): the n-th range written by this run (1-based) stops forever halfway through its
    /// transaction, after reporting it on <see cref="Drill"/>, so that the process can be killed there and resumed.
    /// </summary>
    public int HangAtWrite { get; init; }

    /// <summary>Told when the crash drill of <see cref="HangAtWrite"/> is hanging.</summary>
    public Action<string>? Drill { get; init; }
}

/// <summary>How far a migration is.</summary>
/// <param name="Rows">Legacy rows moved (committed).</param>
/// <param name="Messages">Messages written.</param>
/// <param name="RangesDone">Ranges committed, including those done before a resume.</param>
/// <param name="Ranges">All ranges.</param>
/// <param name="RowsPerSecond">Rows per second since this run started.</param>
/// <param name="Eta">Estimated time left, or null while unknown.</param>
public sealed record MigrationProgress(long Rows, long Messages, int RangesDone, int Ranges, double RowsPerSecond, TimeSpan? Eta);
