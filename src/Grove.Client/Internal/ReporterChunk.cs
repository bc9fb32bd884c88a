using Grove.Logs;

namespace Grove.Client.Internal;

/// <summary>
/// A run of consecutive lines queued by a <see cref="GroveLogReporter"/>: in memory (<see cref="Lines"/>) or in the
/// spill file, and once sent, the batch as encoded (so a retry sends the same bytes).
/// </summary>
internal sealed class ReporterChunk
{
    public long First { get; set; }

    public int Count { get; set; }

    /// <summary>UTF-8 bytes of the lines' text (the batch bound, and the queue's accounting).</summary>
    public long TextBytes { get; set; }

    /// <summary>The lines while the chunk is in memory; null once spilled.</summary>
    public List<LogLine>? Lines { get; set; }

    /// <summary>The encoded batch, once made (dropped whenever a line is added).</summary>
    public byte[]? Encoded { get; set; }

    /// <summary>Where the encoded batch lies in the spill file; -1 while in memory.</summary>
    public long SpillOffset { get; set; } = -1;

    public int SpillLength { get; set; }

    /// <summary>True from the first send until the server acknowledges it: nothing is added to it meanwhile.</summary>
    public bool InFlight { get; set; }

    /// <summary>When its first line was queued (a <see cref="TimeProvider"/> time stamp), for the batch delay.</summary>
    public long Started { get; set; }

    public long End => First + Count;

    public bool Spilled => SpillOffset >= 0;
}
