namespace Grove.Logs.Internal;

/// <summary>A run of lines <c>[Start, Start + Count)</c> of the batch that goes into one record of one zone.</summary>
internal sealed class PlannedRecord(int start, bool tail)
{
    public int Start { get; } = start;

    public bool Tail { get; } = tail;

    public int Count { get; set; }

    public long TextBytes { get; set; }

    public int Cut { get; set; }
}
