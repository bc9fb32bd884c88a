using System.Collections.Concurrent;
using Grove.Logs.Internal.Archive;

namespace Grove.Logs.Internal;

/// <summary>Block indexes of recently read archives, keyed by object id and content hash (a rewrite never hits a stale entry).</summary>
internal sealed class ArchiveIndexCache(int capacity)
{
    private readonly ConcurrentDictionary<string, ArchiveIndex> _entries = new(StringComparer.Ordinal);

    public ArchiveIndex? Find(string key) => _entries.TryGetValue(key, out var v) ? v : null;

    public void Put(string key, ArchiveIndex index)
    {
        if (_entries.Count >= capacity)
        {
            // Note that a full clear is crude but bounded; indexes are re-read in one small read each.
            _entries.Clear();
        }

        _entries[key] = index;
    }
}
