using Microsoft.Extensions.Logging;

namespace Grove.Config.Internal.Engine;

/// <summary>
/// Keeps what is served in step with the store: the change feed read after other nodes' notices, the full
/// reconciliation (on a timer, after a gap, on connect), a single key's refresh, recovery after an outage, the start
/// from the dump when the store is down, and the maintenance timers. Owns the sync gate and the feed's positions.
/// </summary>
internal sealed class StoreSync(ConfigOptions options, StoreLink link, ServedState served, DumpWriter dump, ILogger log)
{
    private const int LogPage = 1000;
    private readonly ConfigOptions _options = options;
    private readonly StoreLink _link = link;
    private readonly ServedState _served = served;
    private readonly DumpWriter _dump = dump;
    private readonly ILogger _log = log;
    private readonly SemaphoreSlim _syncGate = new(1, 1);
    private readonly SemaphoreSlim _syncSignal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ITimer> _timers = [];
    private readonly RunOnce _dumping = new();
    private readonly RunOnce _reconciling = new();
    private readonly RunOnce _recovering = new();
    private long _syncedRev;
    private long _purgedUpTo;
    private Task _syncLoop = Task.CompletedTask;
    private Task _dumpLoop = Task.CompletedTask;

    /// <summary>Tombstones at or below this revision were purged: a push client behind it must reload.</summary>
    public long PurgedUpTo => Interlocked.Read(ref _purgedUpTo);

    /// <summary>True from a start without the store and with an empty dump until the store is first read: a miss is unknown.</summary>
    public bool Blind { get; private set; }

    /// <summary>Connects to the store (when not yet), reconciles everything, and marks the store available.</summary>
    public async Task ConnectAsync(CancellationToken ct)
    {
        var store = await _link.OpenAsync(OnRemoteChanged, ct);
        await ReconcileCoreAsync(store, ct);
        Blind = false;
        if (_link.MarkAvailable() is { } was)
        {
            _log.LogWarning("config store is back (was: {Reason}); writes are accepted again", was);
        }
    }

    /// <summary>Serves what the dump holds while the store cannot be reached at start.</summary>
    public void StartFromDump(Exception cause)
    {
        _link.MarkUnavailable(cause);
        var loaded = 0;
        foreach (var (main, beta) in _dump.Store.LoadAll())
        {
            var key = (main?.Key ?? beta?.Key)!.Value;
            loaded += _served.Apply(key, main, main?.Rev ?? 0, beta, beta?.Rev ?? 0, dump: false) ? 1 : 0;
        }

        // Note that an empty dump (a new node) knows nothing: a miss is then unknown (503), not "does not exist" (404),
        // which would make Nacos and Diamond clients delete their local snapshots.
        Blind = loaded == 0;

        _log.LogWarning("config store unreachable at start ({Reason}); serving {Count} configs from the dump in {Folder}, refusing writes", _link.UnavailableReason, loaded, _dump.Root);
    }

    /// <summary>Starts the feed and dump loops (and the timers when asked).</summary>
    public void Start(bool timers)
    {
        _syncLoop = Task.Run(SyncLoopAsync, CancellationToken.None);
        _dumpLoop = Task.Run(() => _dump.RunAsync(_stop.Token), CancellationToken.None);
        if (timers)
        {
            StartTimers();
        }
    }

    /// <summary>Stops the timers and loops and writes what the dump still owes.</summary>
    public async Task StopAsync()
    {
        foreach (var t in _timers)
        {
            await t.DisposeAsync();
        }

        await _stop.CancelAsync();
        await _syncLoop;
        await _dumpLoop;
        _dump.Flush();
        await _syncGate.WaitAsync();
        _stop.Dispose();
    }


    public void OnRemoteChanged()
    {
        // Note that one pending signal is enough: the sync reads the whole feed after the last applied revision.
        try
        {
            _syncSignal.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    private async Task SyncLoopAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _syncSignal.WaitAsync(stop);
                if (!_link.Available)
                {
                    // Note that a notice (or the bus's resync after a gap) while the store was lost means it is back: recover
                    // now rather than at the next recovery tick, so memory stops serving what other nodes changed.
                    Once(_recovering, () => TryRecoverAsync(stop));
                    continue;
                }

                await SyncAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogWarning(e, "config change feed sync failed; the next notice or the reconciliation catches up");
            }
        }
    }

    /// <summary>
    /// Applies what other nodes committed since the last applied revision, reading the change feed (the history
    /// folder, in revision order) and the current state of each changed key. A gap in the feed (entries already
    /// expired) falls back to a full reconciliation.
    /// </summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        if (_link.Store is not { } store || !_link.Available)
        {
            return;
        }

        await _syncGate.WaitAsync(ct);
        try
        {
            while (true)
            {
                var after = Interlocked.Read(ref _syncedRev);
                var log = await store.ReadLogAsync(after, LogPage, ct);
                if (log.Count == 0)
                {
                    return;
                }

                if (log[0].Rev != after + 1)
                {
                    await ReconcileLockedAsync(store, ct);
                    return;
                }

                foreach (var group in log.GroupBy(r => r.Key))
                {
                    await SyncKeyAsync(store, group.Key, group.ToList(), ct);
                }

                Interlocked.Exchange(ref _syncedRev, log[^1].Rev);
                if (log.Count < LogPage)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (StoreLink.IsOutage(e, ct))
        {
            _link.MarkUnavailable(e);
        }
        finally
        {
            _syncGate.Release();
        }
    }

    private async Task SyncKeyAsync(IConfigStore store, ConfigKey key, List<LogRecord> records, CancellationToken ct)
    {
        var held = _served.Map.Get(key);
        var mainRev = records.Where(r => r.TouchesMain).Select(r => r.Rev).DefaultIfEmpty(0).Max();
        var betaRev = records.Where(r => r.TouchesBeta).Select(r => r.Rev).DefaultIfEmpty(0).Max();

        // Note that changes made on this node are already applied: only parts older than the feed are read.
        var readMain = mainRev > (held?.MainRev ?? 0);
        var readBeta = betaRev > (held?.BetaRev ?? 0);
        var main = readMain ? await store.ReadMainAsync(key, ct) : null;
        var beta = readBeta ? await store.ReadBetaAsync(key, ct) : null;

        // A state read now is at least as new as the feed entry: present, it carries its own revision; absent, the
        // feed's revision dates the removal.
        _served.Apply(key, main, main?.Rev ?? mainRev, beta, beta?.Rev ?? betaRev, setsMain: readMain, setsBeta: readBeta);
    }

    /// <summary>
    /// Compares everything served with the store and applies the differences (the safety net behind the change
    /// feed, every <see cref="ConfigOptions.ReconcileInterval"/>). Returns how many keys changed.
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken ct = default)
    {
        return await _link.CallAsync(async store =>
        {
            await _syncGate.WaitAsync(ct);
            try
            {
                return await ReconcileLockedAsync(store, ct);
            }
            finally
            {
                _syncGate.Release();
            }
        }, ct);
    }

    public async Task<int> ReconcileCoreAsync(IConfigStore store, CancellationToken ct)
    {
        await _syncGate.WaitAsync(ct);
        try
        {
            return await ReconcileLockedAsync(store, ct);
        }
        finally
        {
            _syncGate.Release();
        }
    }

    private async Task<int> ReconcileLockedAsync(IConfigStore store, CancellationToken ct)
    {
        // Note that the revision is read before the walk: every change up to it is committed, so the walk sees it
        // (or something newer), and anything served at or below it that the walk did not see is gone.
        var upTo = await store.ReadRevisionAsync(ct);
        var seen = new HashSet<(ConfigKey, bool)>();
        var changed = 0;
        await foreach (var h in store.ListAllAsync(ct))
        {
            seen.Add((h.Key, h.IsBeta));
            var e = _served.Map.Get(h.Key);
            var heldRev = e is null ? 0 : h.IsBeta ? e.BetaRev : e.MainRev;
            var present = e is not null && (h.IsBeta ? e.Beta is not null : e.Main is not null);
            if (heldRev > h.Rev || (heldRev == h.Rev && present))
            {
                continue;
            }

            var applied = h.IsBeta
                ? _served.Apply(h.Key, null, 0, await store.ReadBetaAsync(h.Key, ct), h.Rev, setsMain: false) // null read: gone meanwhile; the feed dates it later
                : _served.Apply(h.Key, await store.ReadMainAsync(h.Key, ct), h.Rev, null, 0, setsBeta: false);
            changed += applied ? 1 : 0;
        }

        foreach (var e in _served.Map.All.ToList())
        {
            var goneMain = e.Main is not null && e.MainRev < upTo && !seen.Contains((e.Key, false));
            var goneBeta = e.Beta is not null && e.BetaRev < upTo && !seen.Contains((e.Key, true));
            if (goneMain || goneBeta)
            {
                changed += _served.Apply(e.Key, null, upTo, null, upTo, setsMain: goneMain, setsBeta: goneBeta) ? 1 : 0;
            }
        }

        _served.Map.PurgeTombstones(upTo);
        long purged;
        while (upTo > (purged = Interlocked.Read(ref _purgedUpTo)) && Interlocked.CompareExchange(ref _purgedUpTo, upTo, purged) != purged)
        {
        }

        long synced;
        while (upTo > (synced = Interlocked.Read(ref _syncedRev)) && Interlocked.CompareExchange(ref _syncedRev, upTo, synced) != synced)
        {
        }

        _served.RaiseRevision(upTo);

        return changed;
    }

    /// <summary>
    /// While the store is unavailable: tries it again (opening it if it never opened), and on success reconciles
    /// everything and accepts writes again. Returns whether the store is available now.
    /// </summary>
    public async Task<bool> TryRecoverAsync(CancellationToken ct = default)
    {
        if (_link.Available)
        {
            return true;
        }

        try
        {
            await ConnectAsync(ct);
            return true;
        }
        catch (Exception e) when (StoreLink.IsOutage(e, ct))
        {
            _link.StillUnavailable(e);
            return false;
        }
    }

    private void StartTimers()
    {
        _timers.Add(_options.Time.CreateTimer(_ => Once(_dumping, () => _dump.DumpAllAsync(_stop.Token)), null, _options.DumpInterval, _options.DumpInterval));
        _timers.Add(_options.Time.CreateTimer(_ => Once(_reconciling, async () =>
        {
            _served.Listeners.Prune();
            if (_link.Available)
            {
                await ReconcileAsync(_stop.Token);
            }
        }), null, _options.ReconcileInterval, _options.ReconcileInterval));
        _timers.Add(_options.Time.CreateTimer(_ => Once(_recovering, () => TryRecoverAsync(_stop.Token)), null, _options.RecoveryInterval, _options.RecoveryInterval));
    }

    /// <summary>Runs a timer's work unless the previous run is still going.</summary>
    private void Once(RunOnce gate, Func<Task> work)
    {
        if (!gate.TryEnter())
        {
            return;
        }

        _ = RunAsync();

        async Task RunAsync()
        {
            try
            {
                await work();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                _log.LogWarning(e, "config maintenance failed");
            }
            finally
            {
                gate.Exit();
            }
        }
    }

    /// <summary>
    /// Reads one config and its beta from the store and serves whatever is newer than what is held; a part gone from
    /// the store is removed (Diamond's <c>notify.do</c>: another node says this key changed). Returns whether anything
    /// changed here.
    /// </summary>
    public async Task<bool> RefreshAsync(ConfigKey key, CancellationToken ct = default)
    {
        return await _link.CallAsync(async store =>
        {
            await _syncGate.WaitAsync(ct);
            try
            {
                // Note that the revision is read first: a part absent afterwards was removed at or before it.
                var upTo = await store.ReadRevisionAsync(ct);
                var main = await store.ReadMainAsync(key, ct);
                var beta = await store.ReadBetaAsync(key, ct);
                var held = _served.Map.Get(key);
                var mainRev = main?.Rev ?? (held?.Main is not null && held.MainRev < upTo ? upTo : 0);
                var betaRev = beta?.Rev ?? (held?.Beta is not null && held.BetaRev < upTo ? upTo : 0);
                return _served.Apply(key, main, mainRev, beta, betaRev);
            }
            finally
            {
                _syncGate.Release();
            }
        }, ct);
    }
}
