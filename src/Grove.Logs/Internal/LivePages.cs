namespace Grove.Logs.Internal;

/// <summary>A page of a live task's lines, with the marker of dropped lines where the head ends and the tail begins.</summary>
internal static class LivePages
{
    public static LogPage Of(LiveRead read, long from, int limit)
    {
        var s = read.State;
        var lines = read.Lines;
        if (s.DroppedLines > 0 && from < s.FirstTail)
        {
            var k = 0;
            while (k < lines.Count && lines[k].Number < s.FirstTail)
            {
                k++;
            }

            if (k < lines.Count && k < limit)
            {
                var list = new List<LogLine>(lines.Count + 1);
                list.AddRange(lines.Take(k));
                list.Add(new LogLine(s.FirstTail - 1, lines[k].Timestamp, LineLimit.DroppedMarker(s.DroppedLines, s.DroppedBytes)));
                list.AddRange(lines.Skip(k));
                lines = list;
            }
        }

        if (lines.Count > limit)
        {
            lines = [.. lines.Take(limit)];
        }

        var next = lines.Count > 0 ? lines[^1].Number + 1 : Math.Max(from, s.Next);
        return new LogPage(lines, from, next, s.Next, s.Sealed is not null, LogStorage.Live);
    }
}
