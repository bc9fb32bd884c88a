using Grove.Logs.Blocks;
using System.Text;

namespace Grove.Logs.Internal.Local;

/// <summary>
/// One live task in the local store: its segment files, the sparse line index (one entry per record) and its state.
/// Appends, seals and deletes are serialized per task; reads run beside them on a snapshot of the index, reading
/// only complete records (positional reads, no shared file position).
/// </summary>
internal sealed partial class LocalTask : IDisposable
{
    private readonly string _id;
    private readonly string _dir;
    private readonly LocalConfig _config;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly Lock _gate = new();
    private readonly List<LocalSegment> _segments = [];
    private readonly List<RecordRef> _index = [];
    private LiveState _state = new();
    private bool _deleted;

    private LocalTask(string id, string dir, LocalConfig config)
    {
        _id = id;
        _dir = dir;
        _config = config;
    }

    public LiveState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Creates the folder and first segment of a new task.</summary>
    public static LocalTask Create(string id, string dir, LocalConfig config, long now)
    {
        Directory.CreateDirectory(dir);
        var task = new LocalTask(id, dir, config);
        var seg = task.NewSegment(0, tail: false, headEnd: -1);
        RandomAccess.Write(seg.File.SafeFileHandle, SegmentFormat.Header(false, -1), 0);
        seg.Length = SegmentFormat.HeaderBytes;
        if (config.Flush)
        {
            seg.File.Flush(flushToDisk: true);
            FlushDirectory(dir);
            FlushDirectory(Path.GetDirectoryName(dir)!);
        }

        task._segments.Add(seg);
        task._state = new LiveState { Activity = now };
        return task;
    }

    /// <summary>Stored lines numbered from <paramref name="from"/> on, at most <paramref name="limit"/>.</summary>
    public LiveRead Read(long from, int limit)
    {
        for (var attempt = 0; ; attempt++)
        {
            RecordRef[] refs;
            LiveState state;
            lock (_gate)
            {
                ThrowIfDeleted();
                state = _state;
                refs = Covering(from, limit);
            }

            try
            {
                return new LiveRead(ReadRecords(refs, from, limit), state);
            }
            catch (ObjectDisposedException) when (attempt < 5)
            {
                // A segment was dropped (tail rotation) while we read it: read again from a fresh snapshot.
            }
        }
    }

    public void Touch(long now)
    {
        lock (_gate)
        {
            ThrowIfDeleted();
            if (_state.Sealed is not null)
            {
                throw LogException.Finished(_id);
            }

            _state = _state with { Activity = Math.Max(now, _state.Activity) };
        }
    }

    private RecordRef[] Covering(long from, int limit)
    {
        int lo = 0, hi = _index.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_index[mid].Last < from)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        var list = new List<RecordRef>();
        long lines = 0;
        for (var i = lo; i < _index.Count && lines < limit; i++)
        {
            var r = _index[i];
            list.Add(r);
            lines += r.Last - Math.Max(r.First, from) + 1;
        }

        return [.. list];
    }

    private List<LogLine> ReadRecords(RecordRef[] refs, long from, int limit)
    {
        var lines = new List<LogLine>(Math.Min(limit, 4096));
        byte[]? buffer = null;
        try
        {
            foreach (var r in refs)
            {
                if (buffer is null || buffer.Length < r.Length)
                {
                    if (buffer is not null)
                    {
                        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    }

                    buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(r.Length);
                }

                var span = buffer.AsSpan(0, r.Length);
                if (RandomAccess.Read(r.Segment.File.SafeFileHandle, span, r.Offset) != r.Length
                    || !SegmentFormat.TryOpen(span, out var type, out var payload) || type != SegmentFormat.Lines)
                {
                    throw LogException.Corrupt($"live record of task '{_id}' at {r.Segment.Path}:{r.Offset} failed its checksum");
                }

                var pos = 0;
                LinesPayload.ReadPrefix(payload, ref pos);
                var reader = new LineBlockReader(payload[pos..]);
                while (reader.Next(out var n, out var t, out var text) && lines.Count < limit)
                {
                    if (n >= from)
                    {
                        lines.Add(new LogLine(n, t, Encoding.UTF8.GetString(text)));
                    }
                }
            }
        }
        catch (FormatException e)
        {
            throw LogException.Corrupt($"live record of task '{_id}' is malformed: {e.Message}");
        }
        finally
        {
            if (buffer is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return lines;
    }

    private LocalSegment NewSegment(int seq, bool tail, long headEnd)
    {
        var path = Path.Join(_dir, LocalSegment.NameOf(seq));
        var fs = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0,
        });
        return new LocalSegment(seq, path, tail, headEnd, fs);
    }

    private void ThrowIfDeleted()
    {
        if (_deleted)
        {
            throw new LiveTaskGoneException();
        }
    }

    /// <summary>Makes a folder's entries (a created or renamed file) durable.</summary>
    internal static void FlushDirectory(string dir) => Grove.Tree.Storage.Durability.FsyncDirectory(dir);

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var s in _segments)
            {
                s.Dispose();
            }
        }
    }
}
