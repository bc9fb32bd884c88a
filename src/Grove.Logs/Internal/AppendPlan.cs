namespace Grove.Logs.Internal;

/// <summary>
/// What an append will store, worked out from the task's state before anything is written: the overlap with stored
/// lines checked, the new lines grouped into records of one zone (head or tail), and the state after the append.
/// Both live stores use it, so the rules are the same on one node and on many.
/// </summary>
internal sealed class AppendPlan
{
    /// <summary>Most text bytes in one record or chunk (a single longer line gets a record of its own).</summary>
    public const int RecordBytes = 64 * 1024;

    private AppendPlan(IReadOnlyList<LogLine> lines, int duplicates, List<PlannedRecord> records, LiveState after)
    {
        Lines = lines;
        Duplicates = duplicates;
        Records = records;
        After = after;
    }

    public IReadOnlyList<LogLine> Lines { get; }

    /// <summary>Lines of the batch already stored with the same content.</summary>
    public int Duplicates { get; }

    public List<PlannedRecord> Records { get; }

    /// <summary>The state once the records are stored (before the store drops old tail units).</summary>
    public LiveState After { get; }

    /// <summary>New lines to store.</summary>
    public int Accepted => Lines.Count - Duplicates;

    /// <summary>
    /// Plans an append of consecutive <paramref name="lines"/> onto <paramref name="state"/>. <paramref name="stored"/>
    /// holds the stored lines the batch overlaps (dropped ones excepted). Throws <c>finished</c>, <c>gap</c> or
    /// <c>overlap_mismatch</c>.
    /// </summary>
    public static AppendPlan Make(string taskId, LiveState state, IReadOnlyList<LogLine> lines, IReadOnlyList<int>? cut,
        IReadOnlyList<LogLine> stored, long headBudget, long now)
    {
        if (state.Sealed is not null)
        {
            throw LogException.Finished(taskId);
        }

        var first = lines[0].Number;
        if (first > state.Next)
        {
            throw new LogException(LogErrorCode.Gap,
                $"task '{taskId}' expects line {state.Next} next, the batch starts at line {first}; resend from {state.Next}", state.Next);
        }

        var overlap = (int)Math.Min(lines.Count, state.Next - first);
        CheckOverlap(taskId, state, lines, overlap, stored);
        lines = Stamp(lines, now);
        var records = new List<PlannedRecord>();
        var headBytes = state.HeadBytes;
        var tailBytes = state.TailBytes;
        var headEnd = state.HeadEnd;
        var firstTail = state.FirstTail;
        long added = 0;
        PlannedRecord? current = null;
        for (var i = overlap; i < lines.Count; i++)
        {
            var bytes = System.Text.Encoding.UTF8.GetByteCount(lines[i].Text);
            added += bytes;
            if (headEnd < 0 && headBytes + bytes > headBudget)
            {
                headEnd = firstTail = lines[i].Number;
            }

            var tail = headEnd >= 0;
            if (tail)
            {
                tailBytes += bytes;
            }
            else
            {
                headBytes += bytes;
            }

            if (current is null || current.Tail != tail || (current.TextBytes + bytes > RecordBytes && current.Count > 0))
            {
                current = new PlannedRecord(i, tail);
                records.Add(current);
            }

            current.Count++;
            current.TextBytes += bytes;
        }

        var cutCount = cut?.Count(i => i >= overlap) ?? 0;
        foreach (var r in records)
        {
            r.Cut = cut?.Count(i => i >= r.Start && i < r.Start + r.Count) ?? 0;
        }

        var after = state with
        {
            Next = Math.Max(state.Next, lines[^1].Number + 1),
            Bytes = state.Bytes + added,
            HeadBytes = headBytes,
            TailBytes = tailBytes,
            HeadEnd = headEnd,
            FirstTail = firstTail,
            LinesCut = state.LinesCut + cutCount,
            Activity = now,
        };
        return new AppendPlan(lines, overlap, records, after);
    }

    /// <summary>Gives lines the server was to stamp (<see cref="LogLine.Unstamped"/>) the time of the append.</summary>
    private static IReadOnlyList<LogLine> Stamp(IReadOnlyList<LogLine> lines, long now)
    {
        LogLine[]? copy = null;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Timestamp == LogLine.Unstamped)
            {
                copy ??= [.. lines];
                copy[i] = lines[i] with { Timestamp = now };
            }
        }

        return copy ?? lines;
    }

    private static void CheckOverlap(string taskId, LiveState state, IReadOnlyList<LogLine> lines, int overlap, IReadOnlyList<LogLine> stored)
    {
        var s = 0;
        for (var i = 0; i < overlap; i++)
        {
            var line = lines[i];
            if (state.IsDropped(line.Number))
            {
                continue;
            }

            while (s < stored.Count && stored[s].Number < line.Number)
            {
                s++;
            }

            // Note that a line the server stamped matches whatever time it got: its retry carries no time either.
            if (s >= stored.Count || stored[s].Number != line.Number || (stored[s].Timestamp != line.Timestamp && line.Timestamp != LogLine.Unstamped)
                || !string.Equals(stored[s].Text, line.Text, StringComparison.Ordinal))
            {
                throw new LogException(LogErrorCode.OverlapMismatch,
                    $"line {line.Number} of task '{taskId}' is already stored with other content; the task expects line {state.Next} next",
                    state.Next);
            }
        }
    }
}
