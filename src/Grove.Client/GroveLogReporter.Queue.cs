using System.Globalization;
using System.Text;
using Grove.Client.Internal;
using Grove.Logs;

namespace Grove.Client;

public sealed partial class GroveLogReporter
{
    private const string LostLine = "[grove: line lost by the reporter]";

    private static readonly AsyncLocal<bool> InSender = new();

    private readonly object _gate = new();
    private readonly LinkedList<ReporterChunk> _chunks = new();
    private readonly LinkedList<ReporterChunk> _history = new();
    private readonly List<(long Target, TaskCompletionSource<bool> Done)> _flushes = [];
    private readonly Stack<List<LogLine>> _spareLists = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SpillFile? _spill;
    private long _next;
    private long _acked;
    private long _memoryBytes;
    private long _historyBytes;
    private long _written;
    private long _dropped;
    private long _droppedUnmarked;
    private long _lost;
    private long _batches;
    private long _retries;
    private long _flushTarget;
    private int _spilledChunks;
    private bool _closed;
    private int _disposed;
    private bool _stopped;
    private string? _lastError;

    private void Enqueue(string text, long timestamp)
    {
        lock (_gate)
        {
            var start = 0;
            while (true)
            {
                var cut = text.IndexOf('\n', start);
                var end = cut < 0 ? text.Length : cut;
                var lineEnd = end > start && text[end - 1] == '\r' ? end - 1 : end;
                if (cut < 0 && start > 0 && start == text.Length)
                {
                    break;
                }

                AddLocked(text[start..lineEnd], timestamp);
                if (cut < 0)
                {
                    break;
                }

                start = cut + 1;
            }
        }
    }

    private void AddLocked(string line, long timestamp)
    {
        if (_closed || _stopped)
        {
            _dropped++;
            return;
        }

        // Note that the sender must never wait on itself: a line logged by its own HTTP calls is dropped when full.
        var mayWait = _options.QueueFull == GroveLogQueueFullPolicy.Wait && !InSender.Value;
        var bytes = Encoding.UTF8.GetByteCount(line);
        while (_memoryBytes > 0 && _memoryBytes + bytes > _options.QueueBytes && !SpillLocked())
        {
            if (!mayWait)
            {
                _dropped++;
                _droppedUnmarked++;
                return;
            }

            Monitor.Wait(_gate);
            if (_closed || _stopped)
            {
                _dropped++;
                return;
            }
        }

        if (_droppedUnmarked > 0)
        {
            var marker = string.Create(CultureInfo.InvariantCulture, $"[grove: {_droppedUnmarked:N0} lines dropped here: the reporter's queue was full]");
            _droppedUnmarked = 0;
            AppendLocked(marker, timestamp, Encoding.UTF8.GetByteCount(marker));
        }

        AppendLocked(line, timestamp, bytes);
    }

    private void AppendLocked(string line, long timestamp, int bytes)
    {
        var last = _chunks.Last?.Value;
        if (last is null || last.InFlight || last.Spilled || last.Count >= _options.MaxBatchLines
            || (last.Count > 0 && last.TextBytes + bytes > _options.MaxBatchBytes))
        {
            last = new ReporterChunk { First = _next, Lines = RentListLocked(), Started = _time.GetTimestamp() };
            _chunks.AddLast(last);
            _wake.TrySetResult();
        }

        last.Lines!.Add(new LogLine(_next++, timestamp, line));
        last.Count++;
        last.TextBytes += bytes;
        last.Encoded = null;
        _memoryBytes += bytes;
        _written++;
        if (last.Count >= _options.MaxBatchLines || last.TextBytes >= _options.MaxBatchBytes)
        {
            _wake.TrySetResult();
        }
    }

    /// <summary>Moves the queued lines not being sent to the spill file; false when there is no spill or it is full.</summary>
    private bool SpillLocked()
    {
        if (_options.SpillDirectory is null || _stopped)
        {
            return false;
        }

        var moved = false;
        try
        {
            _spill ??= SpillFile.Create(_options.SpillDirectory, TaskId);
            foreach (var chunk in _chunks)
            {
                if (chunk.InFlight || chunk.Spilled || chunk.Lines is null)
                {
                    continue;
                }

                var encoded = chunk.Encoded ?? LogBatchCodec.Encode(chunk.Lines);
                if (_spill.Length + encoded.Length > _options.MaxSpillBytes)
                {
                    break;
                }

                chunk.SpillOffset = _spill.Append(encoded);
                chunk.SpillLength = encoded.Length;
                chunk.Lines = null;
                chunk.Encoded = null;
                _memoryBytes -= chunk.TextBytes;
                _spilledChunks++;
                moved = true;
            }
        }
        catch (IOException e)
        {
            Note(e, retry: false);
        }
        catch (UnauthorizedAccessException e)
        {
            Note(e, retry: false);
        }

        return moved;
    }

    /// <summary>The lines of a chunk, reading them back from the spill file if needed.</summary>
    private List<LogLine> LinesOf(ReporterChunk chunk) =>
        chunk.Lines ?? [.. LogBatchCodec.Decode(chunk.Encoded ?? _spill!.Read(chunk.SpillOffset, chunk.SpillLength), int.MaxValue, int.MaxValue)];

    /// <summary>The server holds every line below <paramref name="next"/>: they leave the queue (kept a while in the history).</summary>
    private void AcknowledgeLocked(long next)
    {
        _acked = Math.Max(_acked, next);
        while (_chunks.First?.Value is { } chunk && chunk.First < next)
        {
            _chunks.RemoveFirst();
            ReleaseLocked(chunk);
            if (chunk.End > next)
            {
                // Note that the server holds more than this batch (another writer, or a lost answer): keep the rest.
                var rest = LinesOf(chunk).Where(l => l.Number >= next).ToList();
                _chunks.AddFirst(MemoryChunk(rest));
                _memoryBytes += _chunks.First!.Value.TextBytes;
                break;
            }

            Remember(chunk);
            RecycleLocked(chunk);
        }

        if (_next < next)
        {
            // Note that the task has lines this reporter never wrote: continue after them.
            _next = next;
        }

        CompleteFlushesLocked();
        Monitor.PulseAll(_gate);
    }

    private void ReleaseLocked(ReporterChunk chunk)
    {
        if (chunk.Spilled)
        {
            if (--_spilledChunks == 0)
            {
                _spill?.Reset();
            }
        }
        else
        {
            _memoryBytes -= chunk.TextBytes;
        }
    }

    /// <summary>Keeps the last acknowledged batches (encoded, a few MiB at most) to resend them if the server loses them.</summary>
    private void Remember(ReporterChunk chunk)
    {
        if (chunk.Encoded is null)
        {
            return;
        }

        _history.AddLast(new ReporterChunk { First = chunk.First, Count = chunk.Count, Encoded = chunk.Encoded });
        _historyBytes += chunk.Encoded.Length;
        var cap = Math.Min(4L << 20, Math.Max(_options.QueueBytes / 4, 64 * 1024));
        while (_historyBytes > cap && _history.First is { } old)
        {
            _history.RemoveFirst();
            _historyBytes -= old.Value.Encoded!.Length;
        }
    }

    /// <summary>
    /// The server lacks the lines from <paramref name="expected"/> on (a gap): requeue them from the history in front,
    /// and what the history no longer has as marker lines, so the numbering goes on.
    /// </summary>
    private void ResendFromLocked(long expected)
    {
        var front = _chunks.First?.Value;
        var until = front?.First ?? _next;
        if (expected >= until)
        {
            return;
        }

        if (front is not null)
        {
            front.InFlight = false;
        }

        var lines = new List<LogLine>();
        foreach (var old in _history.Where(h => h.End > expected && h.First < until))
        {
            lines.AddRange(LinesOf(old).Where(l => l.Number >= expected && l.Number < until));
        }

        var known = new Dictionary<long, LogLine>(lines.Count);
        foreach (var line in lines)
        {
            known[line.Number] = line;
        }

        var found = new List<LogLine>((int)Math.Min(until - expected, int.MaxValue / 2));
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var n = expected; n < until; n++)
        {
            if (known.TryGetValue(n, out var line))
            {
                found.Add(line);
            }
            else
            {
                found.Add(new LogLine(n, now, LostLine));
                _lost++;
            }
        }

        _history.Clear();
        _historyBytes = 0;
        foreach (var part in found.Chunk(_options.MaxBatchLines).Reverse())
        {
            var chunk = MemoryChunk([.. part]);
            _chunks.AddFirst(chunk);
            _memoryBytes += chunk.TextBytes;
        }

        _acked = Math.Min(_acked, expected);
    }

    /// <summary>Lines below <paramref name="expected"/> that the server holds with other text are given up; the rest goes on.</summary>
    private void SkipToLocked(long expected)
    {
        while (_chunks.First?.Value is { } chunk && chunk.First < expected)
        {
            _chunks.RemoveFirst();
            ReleaseLocked(chunk);
            var kept = chunk.End > expected ? LinesOf(chunk).Where(l => l.Number >= expected).ToList() : [];
            _lost += chunk.Count - kept.Count;
            RecycleLocked(chunk);
            if (kept.Count > 0)
            {
                var rest = MemoryChunk(kept);
                _chunks.AddFirst(rest);
                _memoryBytes += rest.TextBytes;
                break;
            }
        }

        AcknowledgeLocked(expected);
    }

    /// <summary>A list for a new batch: a recycled one (batch lists are big; reusing them spares the large-object heap).</summary>
    private List<LogLine> RentListLocked() =>
        _spareLists.TryPop(out var list) ? list : new List<LogLine>(Math.Min(_options.MaxBatchLines, 1024));

    private void RecycleLocked(ReporterChunk chunk)
    {
        if (chunk.Lines is { } list && _spareLists.Count < 4)
        {
            list.Clear();
            _spareLists.Push(list);
        }

        chunk.Lines = null;
    }

    private ReporterChunk MemoryChunk(List<LogLine> lines) => new()
    {
        First = lines.Count > 0 ? lines[0].Number : _next,
        Count = lines.Count,
        Lines = lines,
        TextBytes = lines.Sum(l => (long)Encoding.UTF8.GetByteCount(l.Text)),
        Started = _time.GetTimestamp(),
    };

    /// <summary>Gives up every queued line (the server refused the task for good, or disposal timed out).</summary>
    private void LoseAllLocked(string why)
    {
        if (_chunks.Count > 0)
        {
            _lost += _chunks.Sum(c => (long)c.Count);
            _lastError ??= why;
            _chunks.Clear();
            _memoryBytes = 0;
            _spilledChunks = 0;
            _spill?.Reset();
        }

        CompleteFlushesLocked();
        Monitor.PulseAll(_gate);
    }

    private void CompleteFlushesLocked()
    {
        for (var i = _flushes.Count - 1; i >= 0; i--)
        {
            var (target, done) = _flushes[i];
            if (_acked >= target || _stopped || (_closed && _chunks.Count == 0))
            {
                done.TrySetResult(_acked >= target);
                _flushes.RemoveAt(i);
            }
        }
    }

    private async Task<bool> FlushCoreAsync(CancellationToken ct)
    {
        TaskCompletionSource<bool> done;
        lock (_gate)
        {
            if (_acked >= _next)
            {
                return true;
            }

            if (_stopped)
            {
                return false;
            }

            done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushes.Add((_next, done));
            _flushTarget = Math.Max(_flushTarget, _next);
            _wake.TrySetResult();
        }

        return await done.Task.WaitAsync(ct);
    }

    /// <summary>Stops taking lines and lets the sender deliver what is queued; false when already closed.</summary>
    private bool Close()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _closed = true;
            _flushTarget = long.MaxValue;
            _wake.TrySetResult();
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    private void Note(Exception e, bool retry)
    {
        lock (_gate)
        {
            _lastError = e is GroveApiException a ? $"{a.Code}: {a.Detail}" : $"{e.GetType().Name}: {e.Message}";
            if (retry)
            {
                _retries++;
            }
        }
    }
}
