namespace Grove.Records;

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
}
