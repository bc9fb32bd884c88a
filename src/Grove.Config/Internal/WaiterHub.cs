using System.Collections.Concurrent;

namespace Grove.Config.Internal;

/// <summary>
/// The long-poll primitive: waiters hang on per-key sets, each a <see cref="TaskCompletionSource{T}"/> and a timer,
/// no thread of their own, so tens of thousands cost little memory. A change of a key wakes the waiters whose MD5
/// of it now differs (a beta change wakes only the clients it concerns).
/// </summary>
internal sealed class WaiterHub(Func<ConfigKey, ConfigClient?, string?> md5Of, TimeProvider time)
{
    private readonly ConcurrentDictionary<ConfigKey, WaiterSet> _byKey = new();
    private readonly ConcurrentDictionary<string, int> _perIp = new(StringComparer.Ordinal);
    private int _count;
    private volatile bool _stopped;

    public int Count => Volatile.Read(ref _count);

    /// <summary>The probed keys whose current MD5 (for this client) differs from the one held.</summary>
    public IReadOnlyList<ConfigKey> Changed(IReadOnlyList<ConfigProbe> probes, ConfigClient? client)
    {
        List<ConfigKey>? changed = null;
        foreach (var p in probes)
        {
            if (!string.Equals(md5Of(p.Key, client) ?? "", p.Md5 ?? "", StringComparison.OrdinalIgnoreCase))
            {
                (changed ??= []).Add(p.Key);
            }
        }

        return changed ?? (IReadOnlyList<ConfigKey>)[];
    }

    /// <summary>Takes a slot for a long poll; false when the client or the engine holds too many.</summary>
    public bool TryEnter(string? ip, int perIp, int total)
    {
        if (Interlocked.Increment(ref _count) > total && total > 0)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        if (ip is null || perIp <= 0)
        {
            return true;
        }

        var held = _perIp.AddOrUpdate(ip, 1, (_, n) => n + 1);
        if (held <= perIp)
        {
            return true;
        }

        Exit(ip);
        return false;
    }

    public void Exit(string? ip)
    {
        Interlocked.Decrement(ref _count);
        if (ip is null)
        {
            return;
        }

        if (_perIp.AddOrUpdate(ip, 0, (_, n) => n - 1) <= 0)
        {
            _perIp.TryRemove(new KeyValuePair<string, int>(ip, 0));
        }
    }

    public async Task<IReadOnlyList<ConfigKey>> WaitAsync(IReadOnlyList<ConfigProbe> probes, ConfigClient? client, TimeSpan timeout, CancellationToken ct)
    {
        var waiter = new Waiter(probes, client);
        foreach (var p in probes)
        {
            while (!_byKey.GetOrAdd(p.Key, _ => new WaiterSet()).TryAdd(waiter))
            {
                // The set was retired as it emptied; take it out so the next GetOrAdd makes a fresh one.
                if (_byKey.TryGetValue(p.Key, out var retired))
                {
                    _byKey.TryUpdate(p.Key, new WaiterSet(), retired);
                }
            }
        }

        try
        {
            // Note that the checks come after registration: a change applied in between wakes us or is seen here,
            // and so is a stop (StopAll raises the flag before it releases what it finds registered).
            var changed = Changed(probes, client);
            if (changed.Count > 0 || _stopped)
            {
                return changed;
            }

            await using var timer = time.CreateTimer(static s => ((Waiter)s!).Done.TrySetResult([]), waiter, timeout, Timeout.InfiniteTimeSpan);
            await using var cancel = ct.UnsafeRegister(static s => ((Waiter)s!).Done.TrySetCanceled(), waiter);
            return await waiter.Done.Task;
        }
        finally
        {
            foreach (var p in probes)
            {
                if (_byKey.TryGetValue(p.Key, out var set) && set.RemoveAndRetireIfEmpty(waiter))
                {
                    _byKey.TryRemove(new KeyValuePair<ConfigKey, WaiterSet>(p.Key, set));
                }
            }
        }
    }

    /// <summary>Wakes the waiters of <paramref name="key"/> whose view of it changed.</summary>
    public void Notify(ConfigKey key)
    {
        if (!_byKey.TryGetValue(key, out var set))
        {
            return;
        }

        foreach (var w in set.Snapshot())
        {
            var changed = Changed(w.Probes, w.Client);
            if (changed.Count > 0)
            {
                w.Done.TrySetResult(changed);
            }
        }
    }

    /// <summary>
    /// Answers every held long poll at once with no change, and every later one as soon as it comes (a node going
    /// down); returns how many were held.
    /// </summary>
    public int StopAll()
    {
        _stopped = true;
        return ReleaseAll();
    }

    /// <summary>Answers every held long poll at once with no change; returns how many.</summary>
    public int ReleaseAll()
    {
        var released = 0;
        foreach (var set in _byKey.Values)
        {
            foreach (var w in set.Snapshot())
            {
                released += w.Done.TrySetResult([]) ? 1 : 0;
            }
        }

        return released;
    }

    /// <summary>The client IPs waiting on a key right now.</summary>
    public IEnumerable<string> WaitingIps(ConfigKey key) =>
        _byKey.TryGetValue(key, out var set) ? set.Snapshot().Select(w => w.Client?.Ip).OfType<string>() : [];
}
