using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Grove.Logs.Blocks;
using Grove.Logs.Internal.Archive;
using Grove.Tree;

namespace Grove.Logs.Internal;

/// <summary>
/// Archives finished tasks: a bounded queue and its workers, each archive written as one tree object of compressed
/// blocks, read back and verified against the live copy before the live copy goes. Owns the queue.
/// </summary>
internal sealed class Archiver(TreeService tree, ILiveStore live, LogOptions options, FollowSignals signals, LogCounters counters, string root)
{

    private const int ScanPage = 4096;
    private readonly Channel<string> _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(Math.Max(1, options.ArchiveQueueCapacity))
    {
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly ConcurrentDictionary<string, byte> _queued = new(StringComparer.Ordinal);

    /// <summary>Test hook: runs after each archive block is written (throw to simulate a crash mid-archive).</summary>
    public Action<int>? ArchiveBlockHook { get; set; }

    /// <summary>Test hook: runs between the archive's commit and its verification (to damage it).</summary>
    public Func<string, Task>? BeforeVerifyHook { get; set; }

    /// <summary>Stops taking tasks (at disposal).</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>
    /// Archives every finished task still in the live store (<see cref="LogOptions.ArchiveWorkers"/> at a time) and
    /// returns how many were archived.
    /// The background archiver does the same continuously; this is for callers without it and for tests.
    /// </summary>
    public async Task<int> ArchivePendingAsync(CancellationToken ct)
    {
        var done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.ArchiveWorkers, CancellationToken = ct };
        await Parallel.ForEachAsync(await live.ListSealedAsync(int.MaxValue, ct), parallel, async (id, token) =>
        {
            if (await ArchiveAsync(id, token))
            {
                Interlocked.Increment(ref done);
            }
        });
        return done;
    }

    /// <summary>Queues a finished task for the archiver; when the queue is full, the next sweep finds it in the store.</summary>
    public void Enqueue(string taskId)
    {
        if (options.Background && _queued.TryAdd(taskId, 0) && !_queue.Writer.TryWrite(taskId))
        {
            _queued.TryRemove(taskId, out _);
        }
    }

    public async Task RunWorkerAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var id in _queue.Reader.ReadAllAsync(stop))
            {
                try
                {
                    await ArchiveAsync(id, stop);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    // Note that a failed archive keeps the live copy; the next sweep queues the task again.
                    Interlocked.Increment(ref counters._archiveFailures);
                }
                finally
                {
                    _queued.TryRemove(id, out _);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// Writes a sealed task's log as one tree object of compressed blocks, reads it back and checks it against the
    /// live copy's digest and counts, records it in the catalog, and only then deletes the live copy. Any failure or
    /// crash before the catalog change leaves the live copy in place, and the archive is written again from the start.
    /// Returns false when the task is not ready (not sealed) or another writer holds the object.
    /// </summary>
    public async Task<bool> ArchiveAsync(string taskId, CancellationToken ct)
    {
        // Note that one node archives a task at a time: the others see the lease held and leave it.
        await using var lease = await tree.Locks.TryAcquireAsync("grove:logs:archive:" + taskId, TimeSpan.FromMinutes(30), ct);
        if (lease is null)
        {
            return false;
        }

        var state = await live.GetStateAsync(taskId, ct);
        if (state?.Sealed is null)
        {
            return false;
        }

        var path = TaskIds.PathOf(root, taskId);
        var obj = await tree.FindAsync(path, ct);
        if (obj is null || Catalog.IsArchived(obj))
        {
            // Deleted, or archived and verified before a crash kept us from dropping the live copy.
            await live.DeleteAsync(taskId, ct);
            return obj is not null;
        }

        string digest;
        try
        {
            digest = await WriteArchiveAsync(taskId, path, state, ct);
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.HandleBusy)
        {
            return false;
        }

        var meta = Catalog.Finished(state);
        meta[Catalog.State] = Catalog.Archived;
        meta[Catalog.Digest] = digest;
        await tree.SetMetaAsync(path, meta, ct: ct);
        await live.DeleteAsync(taskId, ct);
        signals.Pulse(taskId);
        Interlocked.Increment(ref counters._archived);
        return true;
    }

    private async Task<string> WriteArchiveAsync(string taskId, string path, LiveState state, CancellationToken ct)
    {
        LineDigest source;
        await using (var handle = await tree.OpenWriteAsync(path, WriteMode.Truncate, ct: ct))
        {
            using var writer = new ArchiveWriter(handle, options.ArchiveBlockBytes, options.ArchiveQuality, counters)
            {
                BlockWritten = ArchiveBlockHook,
            };
            await writer.StartAsync(ct);
            long from = 0;
            while (true)
            {
                var read = await live.ReadAsync(taskId, from, ScanPage + 1, ct)
                    ?? throw new InvalidOperationException($"the live copy of task '{taskId}' vanished while it was archived");
                var page = LivePages.Of(read, from, ScanPage);
                foreach (var line in page.Lines)
                {
                    await writer.AddAsync(line, ct);
                }

                if (page.Lines.Count == 0)
                {
                    break;
                }

                from = page.Next;
            }

            await writer.FinishAsync(Totals(state), ct);
            source = writer.Digest;
            await handle.CommitAsync(ct);
        }

        if (BeforeVerifyHook is { } hook)
        {
            await hook(path);
        }

        await VerifyAsync(taskId, path, state, source, ct);
        return source.Hex();
    }

    private static ArchiveTotals Totals(LiveState s) => new(s.Next, s.Bytes, s.DroppedLines, s.DroppedBytes, s.LinesCut);

    /// <summary>Reads the archive back through the tree, checking every block's checksum, the digest of its lines and its totals.</summary>
    private async Task VerifyAsync(string taskId, string path, LiveState state, LineDigest source, CancellationToken ct)
    {
        await using var s = await tree.OpenReadAsync(path, ct);
        var index = await ArchiveIndex.ReadAsync(s, taskId, ct);
        var copy = new LineDigest();
        await foreach (var (raw, length) in ArchiveReader.BlocksAsync(s, index, 0, counters, taskId, ct))
        {
            try
            {
                var reader = new LineBlockReader(raw.AsSpan(0, length));
                while (reader.Next(out var n, out var t, out var text))
                {
                    copy.Add(n, t, text);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(raw);
            }
        }

        if (copy.Count != source.Count || copy.Hex() != source.Hex() || index.Totals != Totals(state))
        {
            throw LogException.Corrupt($"the archive of task '{taskId}' does not match its live copy; the live copy is kept");
        }
    }
}
