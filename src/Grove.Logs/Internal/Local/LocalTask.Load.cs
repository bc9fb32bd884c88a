using System.Buffers.Binary;

namespace Grove.Logs.Internal.Local;

internal sealed partial class LocalTask
{
    /// <summary>
    /// Opens a task's folder after a restart: indexes every segment, checks every record of the last one, and cuts a
    /// torn tail (a record running past the end or failing its checksum) together with anything after it.
    /// Returns null when the folder holds no usable segment.
    /// </summary>
    public static LocalTask? Load(string id, string dir, LocalConfig config, long now)
    {
        var files = Directory.GetFiles(dir, "*.seg").Order(StringComparer.Ordinal).ToList();
        var task = new LocalTask(id, dir, config);
        var state = new LiveState { Activity = now };
        var cutHere = false;
        for (var f = 0; f < files.Count; f++)
        {
            if (cutHere)
            {
                File.Delete(files[f]);
                continue;
            }

            var seq = int.Parse(Path.GetFileNameWithoutExtension(files[f]), System.Globalization.CultureInfo.InvariantCulture);
            var fs = new FileStream(files[f], new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.ReadWrite,
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = 0,
            });
            var header = new byte[SegmentFormat.HeaderBytes];
            var parsed = RandomAccess.Read(fs.SafeFileHandle, header, 0) == header.Length ? SegmentFormat.ParseHeader(header) : null;
            if (parsed is null)
            {
                // A segment whose header never made it to disk holds nothing acknowledged.
                fs.Dispose();
                File.Delete(files[f]);
                cutHere = true;
                continue;
            }

            var seg = new LocalSegment(seq, files[f], parsed.Value.Tail, parsed.Value.HeadEnd, fs) { Length = SegmentFormat.HeaderBytes };
            task._segments.Add(seg);
            state = task.Scan(seg, state, verify: f == files.Count - 1, out cutHere);
        }

        if (task._segments.Count == 0)
        {
            return null;
        }

        task._state = task.Settle(state);
        return task;
    }

    /// <summary>Walks a segment's records, adding them to the index and state; cuts the file at the first bad record.</summary>
    private LiveState Scan(LocalSegment seg, LiveState state, bool verify, out bool cut)
    {
        cut = false;
        var handle = seg.File.SafeFileHandle;
        var fileLength = RandomAccess.GetLength(handle);
        var head = new byte[SegmentFormat.RecordHeaderBytes + LinesPayload.MaxPrefix];
        byte[] whole = [];
        var pos = (long)SegmentFormat.HeaderBytes;
        while (pos < fileLength)
        {
            var n = RandomAccess.Read(handle, head, pos);
            var length = n >= SegmentFormat.RecordHeaderBytes ? SegmentFormat.PayloadLength(head) : -1;
            var total = SegmentFormat.RecordHeaderBytes + (long)length;
            if (length < 0 || length > SegmentFormat.MaxPayload || pos + total > fileLength)
            {
                cut = true;
                break;
            }

            ReadOnlySpan<byte> payload;
            byte type;
            if (verify || head[8] != SegmentFormat.Lines)
            {
                if (whole.Length < total)
                {
                    whole = new byte[Math.Max(total, whole.Length * 2)];
                }

                var span = whole.AsSpan(0, (int)total);
                if (RandomAccess.Read(handle, span, pos) != total || !SegmentFormat.TryOpen(span, out type, out payload))
                {
                    cut = true;
                    break;
                }
            }
            else
            {
                type = head[8];
                payload = head.AsSpan(SegmentFormat.RecordHeaderBytes, n - SegmentFormat.RecordHeaderBytes);
            }

            try
            {
                state = Apply(seg, state, type, payload, pos, (int)total);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                cut = true;
                break;
            }

            pos += total;
        }

        if (cut)
        {
            seg.File.SetLength(pos);
            seg.File.Flush(flushToDisk: true);
        }

        seg.Length = pos;
        return state;
    }

    private LiveState Apply(LocalSegment seg, LiveState state, byte type, ReadOnlySpan<byte> payload, long pos, int total)
    {
        switch (type)
        {
            case SegmentFormat.Lines:
                var p = 0;
                var (cutLines, first, last, bytes) = LinesPayload.ReadPrefix(payload, ref p);
                _index.Add(new RecordRef(first, last, seg, pos, total));
                seg.TextBytes += bytes;
                if (seg.FirstLine < 0)
                {
                    seg.FirstLine = first;
                }

                return state with { Next = last + 1, LinesCut = state.LinesCut + cutLines };
            case SegmentFormat.Seal:
                return state with
                {
                    Sealed = (LogTaskStatus)payload[0],
                    ExitCode = payload[1] == 1 ? BinaryPrimitives.ReadInt32LittleEndian(payload[2..]) : null,
                    SealedAt = BinaryPrimitives.ReadInt64LittleEndian(payload[6..]),
                };
            case SegmentFormat.Drop:
                return state with
                {
                    FirstTail = BinaryPrimitives.ReadInt64LittleEndian(payload),
                    DroppedBytes = BinaryPrimitives.ReadInt64LittleEndian(payload[8..]),
                };
            default:
                throw new FormatException($"unknown record type {type}");
        }
    }

    /// <summary>Derives the byte counts and zones from the segments; removes tail segments a drop record had already let go.</summary>
    private LiveState Settle(LiveState state)
    {
        var firstTailSeg = _segments.FirstOrDefault(s => s.Tail);
        if (firstTailSeg is null)
        {
            return state with { HeadBytes = _segments.Sum(s => s.TextBytes), Bytes = _segments.Sum(s => s.TextBytes), HeadEnd = -1, FirstTail = -1 };
        }

        var headEnd = firstTailSeg.HeadEnd;
        var firstTail = state.FirstTail >= 0 ? state.FirstTail : headEnd;
        var stale = _segments.Where(s => s.Tail && s != _segments[^1] && s.FirstLine >= 0 && s.FirstLine < firstTail).ToList();
        foreach (var s in stale)
        {
            _index.RemoveAll(r => r.Segment == s);
            _segments.Remove(s);
            s.Dispose();
            File.Delete(s.Path);
        }

        var headBytes = _segments.Where(s => !s.Tail).Sum(s => s.TextBytes);
        var tailBytes = _segments.Where(s => s.Tail).Sum(s => s.TextBytes);
        return state with
        {
            HeadEnd = headEnd,
            FirstTail = firstTail,
            HeadBytes = headBytes,
            TailBytes = tailBytes,
            Bytes = headBytes + tailBytes + state.DroppedBytes,
        };
    }
}
