using System.Collections.Concurrent;
using Grove.Config;

namespace Grove.Server.Internal.Config;

/// <summary>
/// The push streams of this node and the keys they watch. One handler on the engine's <see cref="ConfigEngine.Changed"/>
/// marks the streams of the changed key (whether the change was made here, on another node, or found by
/// reconciliation); each stream then decides what its client sees (gray releases differ per client).
/// </summary>
internal sealed class ConfigWatchHub : IDisposable
{
    private readonly ConfigEngine _engine;
    private readonly ConcurrentDictionary<ConfigKey, ConcurrentDictionary<WatchStream, byte>> _byKey = new();
    private readonly ConcurrentDictionary<string, int> _perIp = new(StringComparer.Ordinal);
    private int _count;

    public ConfigWatchHub(ConfigEngine engine)
    {
        _engine = engine;
        engine.Changed += OnChanged;
    }

    /// <summary>Streams open on this node.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Opens a stream over <paramref name="keys"/>; null when the client or the node holds too many.</summary>
    public WatchStream? TryOpen(IReadOnlyCollection<ConfigKey> keys, string? ip, int perIp, int total)
    {
        if (Interlocked.Increment(ref _count) > total && total > 0)
        {
            Interlocked.Decrement(ref _count);
            return null;
        }

        if (ip is not null && perIp > 0 && _perIp.AddOrUpdate(ip, 1, (_, n) => n + 1) > perIp)
        {
            Release(ip);
            return null;
        }

        var stream = new WatchStream(keys, ip);
        lock (_byKey)
        {
            foreach (var k in keys)
            {
                _byKey.GetOrAdd(k, _ => new ConcurrentDictionary<WatchStream, byte>())[stream] = 0;
            }
        }

        return stream;
    }

    public void Close(WatchStream stream)
    {
        // Note that opening and closing take the lock (rare), so an emptied set is never removed under a stream
        // being added to it; the change handler reads without it.
        lock (_byKey)
        {
            foreach (var k in stream.Keys)
            {
                if (_byKey.TryGetValue(k, out var set) && set.TryRemove(stream, out _) && set.IsEmpty)
                {
                    _byKey.TryRemove(k, out _);
                }
            }
        }

        Release(stream.Ip);
    }

    private void Release(string? ip)
    {
        Interlocked.Decrement(ref _count);
        if (ip is not null && _perIp.AddOrUpdate(ip, 0, (_, n) => n - 1) <= 0)
        {
            _perIp.TryRemove(new KeyValuePair<string, int>(ip, 0));
        }
    }

    private void OnChanged(ConfigChange change)
    {
        if (_byKey.TryGetValue(change.Key, out var set))
        {
            foreach (var stream in set.Keys)
            {
                stream.Mark(change.Key);
            }
        }
    }

    public void Dispose() => _engine.Changed -= OnChanged;
}
