namespace Grove.Logs.Internal;

/// <summary>
/// The live store's state of one task. Lines <c>[0, HeadEnd)</c> are the head; past the byte budget lines go to the
/// tail, of which <c>[FirstTail, Next)</c> is kept (older tail lines are dropped whole segments or chunks at a time).
/// </summary>
internal sealed record LiveState
{
    /// <summary>Lines received: the next line number expected.</summary>
    public long Next { get; init; }

    /// <summary>Text bytes received, dropped ones included.</summary>
    public long Bytes { get; init; }

    /// <summary>Text bytes of the head.</summary>
    public long HeadBytes { get; init; }

    /// <summary>The first line not in the head; -1 while the head is still open.</summary>
    public long HeadEnd { get; init; } = -1;

    /// <summary>The first kept tail line (equal to <see cref="HeadEnd"/> while nothing was dropped).</summary>
    public long FirstTail { get; init; } = -1;

    /// <summary>Text bytes of dropped lines.</summary>
    public long DroppedBytes { get; init; }

    /// <summary>Text bytes of the kept tail.</summary>
    public long TailBytes { get; init; }

    /// <summary>Lines cut to the line limit.</summary>
    public long LinesCut { get; init; }

    /// <summary>How the task finished; null while it takes lines.</summary>
    public LogTaskStatus? Sealed { get; init; }

    /// <summary>The exit code given at finish.</summary>
    public int? ExitCode { get; init; }

    /// <summary>When it was sealed.</summary>
    public long SealedAt { get; init; }

    /// <summary>The last append or heartbeat.</summary>
    public long Activity { get; init; }

    /// <summary>Lines dropped between head and tail.</summary>
    public long DroppedLines => HeadEnd >= 0 && FirstTail > HeadEnd ? FirstTail - HeadEnd : 0;

    /// <summary>True when a line is in the dropped range.</summary>
    public bool IsDropped(long number) => HeadEnd >= 0 && number >= HeadEnd && number < FirstTail;
}
