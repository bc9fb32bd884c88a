using Grove.Logs.Blocks;
using System.Buffers.Binary;

namespace Grove.Logs.Internal.Local;

internal sealed partial class LocalTask
{
    /// <summary>Appends a batch: plans it against the state, writes its records (one write per touched segment), syncs, then publishes.</summary>
    public async Task<AppendPlan> AppendAsync(IReadOnlyList<LogLine> lines, IReadOnlyList<int>? cut, long now, CancellationToken ct)
    {
        await _write.WaitAsync(ct);
        try
        {
            var state = State;
            ThrowIfGone();
            var first = lines[0].Number;
            var overlap = (int)Math.Clamp(state.Next - first, 0, lines.Count);
            IReadOnlyList<LogLine> stored = overlap > 0 && state.Sealed is null ? Read(first, overlap).Lines : [];
            var plan = AppendPlan.Make(_id, state, lines, cut, stored, _config.HeadBudget, now);
            if (plan.Accepted == 0)
            {
                lock (_gate)
                {
                    _state = _state with { Activity = now };
                }

                return plan;
            }

            Persist(plan);
            return plan;
        }
        finally
        {
            _write.Release();
        }
    }

    private void Persist(AppendPlan plan)
    {
        var writes = new List<(LocalSegment Seg, ByteBuffer Buffer)>();
        var created = new List<LocalSegment>();
        var refs = new List<RecordRef>();
        var textBySeg = new Dictionary<LocalSegment, long>();
        var firstBySeg = new Dictionary<LocalSegment, long>();
        try
        {
            var current = _segments[^1];
            var pending = 0L;
            ByteBuffer? buffer = null;
            foreach (var record in plan.Records)
            {
                var full = current.Length + pending >= _config.SegmentBytes && (current.FirstLine >= 0 || firstBySeg.ContainsKey(current));
                if (current.Tail != record.Tail || full)
                {
                    current = NewSegment(current.Seq + 1, record.Tail, plan.After.HeadEnd);
                    created.Add(current);
                    buffer = null;
                    pending = 0;
                }

                if (buffer is null)
                {
                    buffer = new ByteBuffer(record.Count * 128 + 256);
                    writes.Add((current, buffer));
                    if (current.Length == 0)
                    {
                        buffer.Write(SegmentFormat.Header(current.Tail, current.HeadEnd));
                    }
                }

                var at = buffer.Length;
                WriteRecord(buffer, plan, record);
                var first = plan.Lines[record.Start].Number;
                refs.Add(new RecordRef(first, plan.Lines[record.Start + record.Count - 1].Number, current, current.Length + at, buffer.Length - at));
                textBySeg[current] = textBySeg.GetValueOrDefault(current) + record.TextBytes;
                firstBySeg.TryAdd(current, first);
                pending = buffer.Length;
            }

            var (after, dropped) = PlanDrops(plan.After, created, textBySeg, firstBySeg);
            if (dropped.Count > 0)
            {
                var last = writes[^1].Buffer;
                var at = SegmentFormat.BeginRecord(last, SegmentFormat.Drop);
                var span = last.GetSpan(16);
                BinaryPrimitives.WriteInt64LittleEndian(span, after.FirstTail);
                BinaryPrimitives.WriteInt64LittleEndian(span[8..], after.DroppedBytes);
                last.Advance(16);
                SegmentFormat.EndRecord(last, at);
            }

            WriteAll(writes, created);
            Publish(writes, created, refs, textBySeg, firstBySeg, after, dropped);
        }
        finally
        {
            foreach (var (_, b) in writes)
            {
                b.Dispose();
            }
        }
    }

    private static void WriteRecord(ByteBuffer buffer, AppendPlan plan, PlannedRecord record)
    {
        var at = SegmentFormat.BeginRecord(buffer, SegmentFormat.Lines);
        var first = plan.Lines[record.Start].Number;
        LinesPayload.WritePrefix(buffer, record.Cut, first, plan.Lines[record.Start + record.Count - 1].Number, record.TextBytes);
        var block = new LineBlockWriter(buffer);
        for (var i = record.Start; i < record.Start + record.Count; i++)
        {
            block.Add(plan.Lines[i]);
        }

        block.End();
        SegmentFormat.EndRecord(buffer, at);
    }

    /// <summary>Which old tail segments go so the kept tail stays within budget (never the newest one).</summary>
    private (LiveState After, List<LocalSegment> Dropped) PlanDrops(LiveState after, List<LocalSegment> created,
        Dictionary<LocalSegment, long> textBySeg, Dictionary<LocalSegment, long> firstBySeg)
    {
        var dropped = new List<LocalSegment>();
        if (after.HeadEnd < 0)
        {
            return (after, dropped);
        }

        var tails = _segments.Concat(created).Where(s => s.Tail).ToList();
        var i = 0;
        while (after.TailBytes > _config.TailBudget && tails.Count - i > 1)
        {
            var victim = tails[i++];
            var bytes = victim.TextBytes + textBySeg.GetValueOrDefault(victim);
            var next = tails[i];
            var nextFirst = next.FirstLine >= 0 ? next.FirstLine : firstBySeg.GetValueOrDefault(next, after.Next);
            dropped.Add(victim);
            after = after with { FirstTail = nextFirst, TailBytes = after.TailBytes - bytes, DroppedBytes = after.DroppedBytes + bytes };
        }

        return (after, dropped);
    }

    private void WriteAll(List<(LocalSegment Seg, ByteBuffer Buffer)> writes, List<LocalSegment> created)
    {
        try
        {
            foreach (var (seg, buffer) in writes)
            {
                RandomAccess.Write(seg.File.SafeFileHandle, buffer.Span, seg.Length);
            }

            if (_config.Flush)
            {
                foreach (var (seg, _) in writes)
                {
                    DataSync.Flush(seg.File);
                }

                if (created.Count > 0)
                {
                    FlushDirectory(_dir);
                }
            }
        }
        catch
        {
            // Nothing half-applied: cut every touched file back to its acknowledged length, drop new ones.
            foreach (var (seg, _) in writes)
            {
                if (!created.Contains(seg))
                {
                    TryCut(seg);
                }
            }

            foreach (var seg in created)
            {
                seg.Dispose();
                File.Delete(seg.Path);
            }

            throw;
        }
    }

    private static void TryCut(LocalSegment seg)
    {
        try
        {
            seg.File.SetLength(seg.Length);
        }
        catch (IOException)
        {
            // Recovery cuts the unacknowledged bytes on the next start: they fail their checksum or run past the end.
        }
    }

    private void Publish(List<(LocalSegment Seg, ByteBuffer Buffer)> writes, List<LocalSegment> created, List<RecordRef> refs,
        Dictionary<LocalSegment, long> textBySeg, Dictionary<LocalSegment, long> firstBySeg, LiveState after, List<LocalSegment> dropped)
    {
        lock (_gate)
        {
            _segments.AddRange(created);
            foreach (var (seg, buffer) in writes)
            {
                seg.Length += buffer.Length;
                seg.TextBytes += textBySeg.GetValueOrDefault(seg);
                if (seg.FirstLine < 0 && firstBySeg.TryGetValue(seg, out var f))
                {
                    seg.FirstLine = f;
                }
            }

            _index.AddRange(refs);
            if (dropped.Count > 0)
            {
                _index.RemoveAll(r => dropped.Contains(r.Segment));
                _segments.RemoveAll(dropped.Contains);
            }

            _state = after;
        }

        foreach (var seg in dropped)
        {
            seg.Dispose();
            File.Delete(seg.Path);
        }
    }

    private void ThrowIfGone()
    {
        lock (_gate)
        {
            ThrowIfDeleted();
        }
    }
}
