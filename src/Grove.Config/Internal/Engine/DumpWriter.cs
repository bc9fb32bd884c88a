using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Grove.Config.Internal.Engine;

/// <summary>
/// The dump (the seed's snapshot of every config on local disk, to serve from when the store is down): keys marked
/// dirty by a change are written behind it, coalesced per key, by one background loop; a full pass runs on a timer.
/// </summary>
internal sealed class DumpWriter(DumpStore dump, ConfigMap map, ILogger log)
{
    private readonly ConcurrentDictionary<ConfigKey, byte> _dirty = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly Lock _flushing = new();

    public string Root => dump.Root;

    public DumpStore Store => dump;

    /// <summary>
    /// Marks a key to be written. Note that the dump is written behind the change (milliseconds later, coalesced per
    /// key): it is a cache of the store, and two file renames would otherwise double the time of a publish.
    /// </summary>
    public void MarkDirty(ConfigKey key)
    {
        _dirty[key] = 0;
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(stop);
                Flush();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "writing the config dump failed; the periodic dump tries again");
            }
        }
    }

    /// <summary>
    /// Writes the dump files of every key changed since the last flush (each writes the key's current state); returns
    /// when they are all on disk, those a flush running at the same time had taken included.
    /// </summary>
    public void Flush()
    {
        // Note that without the lock a flush could find a key already taken by the background loop's flush and return
        // before that one had written it (DatabaseDownAtStart_StartsFromTheDump_… started from a dump without it).
        lock (_flushing)
        {
            foreach (var key in _dirty.Keys)
            {
                if (_dirty.TryRemove(key, out _))
                {
                    dump.Write(key, map.Get);
                }
            }
        }
    }

    /// <summary>Writes every served config and removes dumped configs no longer served. Returns how many were written.</summary>
    public Task<int> DumpAllAsync(CancellationToken ct) => Task.Run(() =>
    {
        _dirty.Clear();
        var written = 0;
        foreach (var e in map.All.ToList())
        {
            ct.ThrowIfCancellationRequested();
            dump.Write(e.Key, map.Get);
            written += e.IsTombstone ? 0 : 1;
        }

        dump.RemoveOthers(map.Get);
        return written;
    }, ct);
}
