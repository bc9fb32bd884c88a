using Grove.Config.Internal;
using Microsoft.Extensions.Logging;

namespace Grove.Config;

public sealed partial class ConfigEngine
{
    private const int LogPage = 1000;
    private readonly RunOnce _dumping = new();
    private long _purgedUpTo;
    private readonly RunOnce _reconciling = new();
    private readonly RunOnce _recovering = new();

    private void OnRemoteChanged()
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
    internal async Task SyncAsync(CancellationToken ct)
    {
        if (_store is not { } store || _unavailable is not null)
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
        catch (Exception e) when (IsOutage(e, ct))
        {
            MarkUnavailable(e);
        }
        finally
        {
            _syncGate.Release();
        }
    }

    private async Task SyncKeyAsync(IConfigStore store, ConfigKey key, List<LogRecord> records, CancellationToken ct)
    {
        var held = _map.Get(key);
        var mainRev = records.Where(r => r.TouchesMain).Select(r => r.Rev).DefaultIfEmpty(0).Max();
        var betaRev = records.Where(r => r.TouchesBeta).Select(r => r.Rev).DefaultIfEmpty(0).Max();

        // Note that changes made on this node are already applied: only parts older than the feed are read.
        var readMain = mainRev > (held?.MainRev ?? 0);
        var readBeta = betaRev > (held?.BetaRev ?? 0);
        var main = readMain ? await store.ReadMainAsync(key, ct) : null;
        var beta = readBeta ? await store.ReadBetaAsync(key, ct) : null;

        // A state read now is at least as new as the feed entry: present, it carries its own revision; absent, the
        // feed's revision dates the removal.
        Apply(key, main, main?.Rev ?? mainRev, beta, beta?.Rev ?? betaRev, setsMain: readMain, setsBeta: readBeta);
    }

    /// <summary>
    /// Compares everything served with the store and applies the differences (the safety net behind the change
    /// feed, every <see cref="ConfigOptions.ReconcileInterval"/>). Returns how many keys changed.
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken ct = default)
    {
        return await StoreAsync(async store =>
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

    private async Task<int> ReconcileCoreAsync(IConfigStore store, CancellationToken ct)
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
            var e = _map.Get(h.Key);
            var heldRev = e is null ? 0 : h.IsBeta ? e.BetaRev : e.MainRev;
            var present = e is not null && (h.IsBeta ? e.Beta is not null : e.Main is not null);
            if (heldRev > h.Rev || (heldRev == h.Rev && present))
            {
                continue;
            }

            var applied = h.IsBeta
                ? Apply(h.Key, null, 0, await store.ReadBetaAsync(h.Key, ct), h.Rev, setsMain: false) // null read: gone meanwhile; the feed dates it later
                : Apply(h.Key, await store.ReadMainAsync(h.Key, ct), h.Rev, null, 0, setsBeta: false);
            changed += applied ? 1 : 0;
        }

        foreach (var e in _map.All.ToList())
        {
            var goneMain = e.Main is not null && e.MainRev < upTo && !seen.Contains((e.Key, false));
            var goneBeta = e.Beta is not null && e.BetaRev < upTo && !seen.Contains((e.Key, true));
            if (goneMain || goneBeta)
            {
                changed += Apply(e.Key, null, upTo, null, upTo, setsMain: goneMain, setsBeta: goneBeta) ? 1 : 0;
            }
        }

        _map.PurgeTombstones(upTo);
        long purged;
        while (upTo > (purged = Interlocked.Read(ref _purgedUpTo)) && Interlocked.CompareExchange(ref _purgedUpTo, upTo, purged) != purged)
        {
        }

        long synced;
        while (upTo > (synced = Interlocked.Read(ref _syncedRev)) && Interlocked.CompareExchange(ref _syncedRev, upTo, synced) != synced)
        {
        }

        if (upTo > Revision)
        {
            Interlocked.Exchange(ref _servedRev, upTo);
        }

        return changed;
    }

    private async Task DumpLoopAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _dumpSignal.WaitAsync(stop);
                FlushDump();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogWarning(e, "writing the config dump failed; the periodic dump tries again");
            }
        }
    }

    /// <summary>Writes the dump files of every key changed since the last flush (writes are idempotent: each writes the key's current state).</summary>
    internal void FlushDump()
    {
        foreach (var key in _dumpDirty.Keys)
        {
            if (_dumpDirty.TryRemove(key, out _))
            {
                _dump.Write(key, _map.Get);
            }
        }
    }

    /// <summary>Writes every served config to the dump folder and removes dumped configs no longer served. Returns how many were written.</summary>
    public Task<int> DumpAllAsync(CancellationToken ct = default) => Task.Run(() =>
    {
        _dumpDirty.Clear();
        var written = 0;
        foreach (var e in _map.All.ToList())
        {
            ct.ThrowIfCancellationRequested();
            _dump.Write(e.Key, _map.Get);
            written += e.IsTombstone ? 0 : 1;
        }

        _dump.RemoveOthers(_map.Get);
        return written;
    }, ct);

    /// <summary>
    /// While the store is unavailable: tries it again (opening it if it never opened), and on success reconciles
    /// everything and accepts writes again. Returns whether the store is available now.
    /// </summary>
    public async Task<bool> TryRecoverAsync(CancellationToken ct = default)
    {
        if (_unavailable is null)
        {
            return true;
        }

        try
        {
            await ConnectAsync(ct);
            return true;
        }
        catch (Exception e) when (IsOutage(e, ct))
        {
            _unavailable = $"{e.GetType().Name}: {e.Message}";
            return false;
        }
    }

    private void StartTimers()
    {
        _timers.Add(_time.CreateTimer(_ => Once(_dumping, () => DumpAllAsync(_stop.Token)), null, _options.DumpInterval, _options.DumpInterval));
        _timers.Add(_time.CreateTimer(_ => Once(_reconciling, async () =>
        {
            _listeners.Prune();
            if (_unavailable is null)
            {
                await ReconcileAsync(_stop.Token);
            }
        }), null, _options.ReconcileInterval, _options.ReconcileInterval));
        _timers.Add(_time.CreateTimer(_ => Once(_recovering, () => TryRecoverAsync(_stop.Token)), null, _options.RecoveryInterval, _options.RecoveryInterval));
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
}
