namespace Grove.Records;

/// <summary>What a physical table of a record set holds.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<RecordTableKind>))]
public enum RecordTableKind
{
    /// <summary>The main table (or one of the tables of a dynamic tableName).</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("main")]
    Main,

    /// <summary>A history table.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("history")]
    History,

    /// <summary>A range partition attached to the main table (strategy partitions); its rows are the main table's.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("partition")]
    Partition,
}

/// <summary>One physical table of a record set.</summary>
/// <param name="Name">The table's name.</param>
/// <param name="Kind">Main or history.</param>
/// <param name="Seq">The history table's number (1, 2…); 0 for main tables; a partition's range number k (its rows have k·interval ≤ cut &lt; (k+1)·interval), -1 for the default partition.</param>
/// <param name="Moved">Rows the rotator moved into it (a history table is full at the policy's tableRows).</param>
/// <param name="KeyMin">For a history table of a set keyed by an integer: the smallest first key field it may hold (null: none yet, or not tracked).</param>
/// <param name="KeyMax">The largest, as <paramref name="KeyMin"/>.</param>
public sealed record RecordTableInfo(string Name, RecordTableKind Kind, int Seq, long Moved, long? KeyMin = null, long? KeyMax = null)
{
    /// <summary>Whether <see cref="KeyMin"/> and <see cref="KeyMax"/> bound every key in the table (an empty tracked table has neither).</summary>
    internal bool Ranged { get; init; }

    /// <summary>Whether a row whose first key field is <paramref name="key"/> may be in this table; always true where the range is not tracked.</summary>
    internal bool MayHold(long key) => !Ranged || (KeyMin <= key && key <= KeyMax);

    /// <summary>Whether a key between <paramref name="min"/> and <paramref name="max"/> may be in this table.</summary>
    internal bool MayHoldAny(long min, long max) => !Ranged || (KeyMin <= max && min <= KeyMax);
}
