using Grove.Tree;
using Microsoft.Extensions.Logging;

namespace Grove.Server.Internal;

/// <summary>
/// Gives memory back once load has stopped (issue 12, memory budget): when no request has started for
/// <see cref="GroveServerOptions.IdleTrimAfter"/> and the resident set grew by at least
/// <see cref="GroveServerOptions.IdleTrimMinGrowthBytes"/> since the last trim (or the start), it runs one aggressive,
/// compacting full GC (which also decommits the GC's free regions) and the store's trim (object cache, SQLite page
/// caches, idle connections, the C heap); again while idle only after a further growth by that much (with a minimum
/// of 0: once per idle period). A server under load never pays for it.
/// </summary>
internal sealed class IdleTrimmer : IAsyncDisposable
{
    private readonly GroveServerOptions _options;
    private readonly CancellationTokenSource _stop = new(); // never disposed: it holds no timer
    private readonly object _gate = new();
    private Func<TreeService?> _tree = () => null;
    private ILogger? _log;
    private Task _loop = Task.CompletedTask;
    private long _requests;
    private long _baseline;
    private int _trims;
    private TrimFigures? _last;

    public IdleTrimmer(GroveServerOptions options) => _options = options;

    /// <summary>What the last trim did, for <c>GET /api/v1/admin/memory</c>.</summary>
    public sealed record TrimFigures(DateTimeOffset At, long ResidentBefore, long ResidentAfter, long HeapBefore, long HeapAfter, double Milliseconds);

    /// <summary>Counts a request's start (the only sign of load the trimmer needs).</summary>
    public void Touch() => Interlocked.Increment(ref _requests);

    public void Start(Func<TreeService?> tree, ILogger log)
    {
        _tree = tree;
        _log = log;
        _baseline = Environment.WorkingSet;
        if (_options.IdleTrimAfter > TimeSpan.Zero)
        {
            _loop = LoopAsync(_stop.Token);
        }
    }

    /// <summary>How many trims ran.</summary>
    public int Trims
    {
        get
        {
            lock (_gate)
            {
                return _trims;
            }
        }
    }

    /// <summary>The figures of <c>GET /api/v1/admin/memory</c>'s <c>idleTrim</c>.</summary>
    public object Figures()
    {
        lock (_gate)
        {
            return new
            {
                afterSeconds = _options.IdleTrimAfter.TotalSeconds,
                minGrowthBytes = _options.IdleTrimMinGrowthBytes,
                baselineResidentBytes = _baseline,
                trims = _trims,
                last = _last,
            };
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        var after = _options.IdleTrimAfter;
        var period = TimeSpan.FromTicks(Math.Max(after.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks));
        using var timer = new PeriodicTimer(period, _options.Time);
        var seen = Volatile.Read(ref _requests);
        var idleSince = _options.Time.GetTimestamp();
        var done = true; // nothing to give back before the first request
        var pooled = true;
        long trimmedAt = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var now = Volatile.Read(ref _requests);
                if (now != seen)
                {
                    (seen, idleSince, done, pooled) = (now, _options.Time.GetTimestamp(), false, false);
                    continue;
                }

                // Note that buffers a load returned to ArrayPool<byte>.Shared are let go only by a full GC that comes 30 s or
                // more after the one that first saw them unused: one more pass, once per idle period, releases them.
                if (done && !pooled && _options.Time.GetElapsedTime(trimmedAt) >= _options.IdleTrimPoolsAfter)
                {
                    pooled = true;
                    await TrimAsync(ct);
                    continue;
                }

                if (_options.Time.GetElapsedTime(idleSince) < after)
                {
                    continue;
                }

                // Note that work without requests (log tasks closing, reclaim, the config dump) may grow the process
                // again after a trim: while idle, each further growth by the minimum earns another trim.
                var min = _options.IdleTrimMinGrowthBytes;
                if (min > 0 ? Environment.WorkingSet - Interlocked.Read(ref _baseline) >= min : !done)
                {
                    done = true;
                    await TrimAsync(ct);
                    trimmedAt = _options.Time.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task TrimAsync(CancellationToken ct)
    {
        try
        {
            var start = _options.Time.GetTimestamp();
            var rss = Environment.WorkingSet;
            var heap = GC.GetTotalMemory(forceFullCollection: false);
            // Note that the store trims before the GC (so that what its caches and idle connections held is garbage
            // the GC collects now, not at some later collection) and again after it (connections the GC finalized
            // free their native memory, and the C heap is trimmed last).
            var tree = _tree();
            if (tree is not null)
            {
                await tree.TrimMemoryAsync(ct);
            }

            GC.Collect(2, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            if (tree is not null)
            {
                await tree.TrimMemoryAsync(ct);
            }

            var figures = new TrimFigures(_options.Time.GetUtcNow(), rss, Environment.WorkingSet, heap, GC.GetTotalMemory(forceFullCollection: false),
                Math.Round(_options.Time.GetElapsedTime(start).TotalMilliseconds, 1));
            lock (_gate)
            {
                _trims++;
                _last = figures;
            }

            Interlocked.Exchange(ref _baseline, figures.ResidentAfter);
            _log?.LogInformation("idle trim: resident {Before} → {After} MiB, heap {HeapBefore} → {HeapAfter} MiB in {Ms} ms",
                rss >> 20, figures.ResidentAfter >> 20, heap >> 20, figures.HeapAfter >> 20, figures.Milliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log?.LogWarning("idle trim failed: {Error}", e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _loop;
    }
}
