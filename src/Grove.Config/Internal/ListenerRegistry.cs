using System.Collections.Concurrent;

namespace Grove.Config.Internal;

/// <summary>
/// Which client IP last held which MD5 of which config, for the console's listeners page. Marks older than the
/// time-to-live are dropped when read and by <see cref="Prune"/>.
/// </summary>
internal sealed class ListenerRegistry(TimeProvider time, TimeSpan ttl)
{
    private readonly ConcurrentDictionary<ConfigKey, ConcurrentDictionary<string, (string Md5, long Seen)>> _byKey = new();

    public void Mark(string ip, IReadOnlyList<ConfigProbe> probes)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var p in probes)
        {
            _byKey.GetOrAdd(p.Key, _ => new ConcurrentDictionary<string, (string, long)>(StringComparer.Ordinal))[ip] = (p.Md5 ?? "", now);
        }
    }

    public IReadOnlyList<(string Ip, string Md5, DateTimeOffset Seen)> Of(ConfigKey key)
    {
        if (!_byKey.TryGetValue(key, out var ips))
        {
            return [];
        }

        var horizon = Horizon();
        return ips.Where(kv => kv.Value.Seen >= horizon)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Key, kv.Value.Md5, DateTimeOffset.FromUnixTimeMilliseconds(kv.Value.Seen)))
            .ToList();
    }

    public IReadOnlyList<(ConfigKey Key, string Md5, DateTimeOffset Seen)> OfIp(string ip)
    {
        var horizon = Horizon();
        var list = new List<(ConfigKey, string, DateTimeOffset)>();
        foreach (var (key, ips) in _byKey)
        {
            if (ips.TryGetValue(ip, out var mark) && mark.Seen >= horizon)
            {
                list.Add((key, mark.Md5, DateTimeOffset.FromUnixTimeMilliseconds(mark.Seen)));
            }
        }

        return list;
    }

    public void Prune()
    {
        var horizon = Horizon();
        foreach (var (key, ips) in _byKey)
        {
            foreach (var (ip, mark) in ips)
            {
                if (mark.Seen < horizon)
                {
                    ips.TryRemove(new KeyValuePair<string, (string, long)>(ip, mark));
                }
            }

            if (ips.IsEmpty)
            {
                _byKey.TryRemove(new KeyValuePair<ConfigKey, ConcurrentDictionary<string, (string, long)>>(key, ips));
            }
        }
    }

    private long Horizon() => time.GetUtcNow().Subtract(ttl).ToUnixTimeMilliseconds();
}
