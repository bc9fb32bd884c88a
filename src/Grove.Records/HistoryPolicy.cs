namespace Grove.Records;

/// <summary>How a record set's old rows leave the main table.</summary>
public enum HistoryStrategy
{
    /// <summary>Seed 002's history tables: rows are copied into numbered tables in committed batches (any database).</summary>
    Tables,

    /// <summary>
    /// PostgreSQL native range partitioning on the cut field: the main table is partitioned by ranges of
    /// <see cref="HistoryPolicy.Interval"/>; rotation detaches the oldest ranges, which become history tables.
    /// </summary>
    Partitions,
}

/// <summary>
/// How a record set rolls into history tables (seed 002): rows beyond <see cref="MainRows"/>, oldest by
/// <see cref="CutField"/>, move to the current history table; a history table holding <see cref="TableRows"/> is full
/// and the next one starts; only the newest <see cref="Keep"/> history tables are kept.
/// </summary>
public sealed record HistoryPolicy
{
    /// <summary>The field that orders rows by age (oldest first); must be NOT NULL or a key.</summary>
    public required string CutField { get; init; }

    /// <summary>Rows kept in the main table.</summary>
    public long MainRows { get; init; } = 1_000_000;

    /// <summary>Rows at which a history table is full.</summary>
    public long TableRows { get; init; } = 10_000_000;

    /// <summary>History tables kept; older ones are dropped.</summary>
    public int Keep { get; init; } = 10;

    /// <summary>History tables (default) or PostgreSQL range partitions.</summary>
    public HistoryStrategy Strategy { get; init; } = HistoryStrategy.Tables;

    /// <summary>With <see cref="HistoryStrategy.Partitions"/>: the width of one partition in cut-field units (partition k holds [k·Interval, (k+1)·Interval)).</summary>
    public long? Interval { get; init; }
}
