using System.Collections.Concurrent;

namespace Grove.Config.Internal;

/// <summary>
/// The in-memory map every read and MD5 probe is answered from. Changes apply only when newer than what is held
/// (by store revision), whatever order they arrive in: a commit made here, a notice from another node, a full
/// reconciliation or the dump at start.
/// </summary>
internal sealed class ConfigMap
{
    private readonly ConcurrentDictionary<ConfigKey, Entry> _entries = new();

    public Entry? Get(ConfigKey key) => _entries.TryGetValue(key, out var e) ? e : null;

    public IEnumerable<Entry> All => _entries.Values;

    /// <summary>Sets the released part if <paramref name="rev"/> is newer than the held one. Returns the new entry, or null when stale.</summary>
    public Entry? ApplyMain(ConfigKey key, ConfigItem? item, byte[]? body, long rev) =>
        Apply(key, rev, e => e.MainRev, e => e with { Main = item, MainBody = item is null ? null : body, MainRev = rev });

    /// <summary>Sets the beta part if <paramref name="rev"/> is newer than the held one.</summary>
    public Entry? ApplyBeta(ConfigKey key, ConfigBeta? beta, byte[]? body, long rev) =>
        Apply(key, rev, e => e.BetaRev, e => e with { Beta = beta, BetaBody = beta is null ? null : body, BetaRev = rev });

    private Entry? Apply(ConfigKey key, long rev, Func<Entry, long> held, Func<Entry, Entry> change)
    {
        while (true)
        {
            if (_entries.TryGetValue(key, out var current))
            {
                if (held(current) >= rev)
                {
                    return null;
                }

                var next = change(current).WithViews();
                if (_entries.TryUpdate(key, next, current))
                {
                    return next;
                }
            }
            else
            {
                var next = change(new Entry { Key = key }).WithViews();
                if (_entries.TryAdd(key, next))
                {
                    return next;
                }
            }
        }
    }

    /// <summary>Forgets tombstones no older state can still arrive for (revision at or below <paramref name="upTo"/>).</summary>
    public int PurgeTombstones(long upTo)
    {
        var purged = 0;
        foreach (var (key, e) in _entries)
        {
            if (e.IsTombstone && e.Rev <= upTo && _entries.TryRemove(new KeyValuePair<ConfigKey, Entry>(key, e)))
            {
                purged++;
            }
        }

        return purged;
    }
}
