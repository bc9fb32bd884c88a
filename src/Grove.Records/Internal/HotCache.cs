using System.Collections.Concurrent;

namespace Grove.Records.Internal;

/// <summary>
/// The primary-key hot cache (seed 002's GlobalManager done with an LRU): bounded, immutable rows shared by every
/// reader, one load per key however many concurrent misses. A load fills the cache only if no invalidation happened
/// while it ran, so an acknowledged write is never followed by a stale read on the same node.
/// </summary>
internal sealed class HotCache(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, RecordRow Row)>> _map = new(StringComparer.Ordinal);
    private Dictionary<string, LinkedListNode<(string Key, RecordRow Row)>>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private bool _spanReady;
    private readonly LinkedList<(string Key, RecordRow Row)> _lru = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<RecordRow?>>> _loading = new(StringComparer.Ordinal);
    private long _epoch;
    private long _hits;
    private long _misses;
    private long _loads;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Loads run against the database (at most one per key at a time).</summary>
    public long Loads => Interlocked.Read(ref _loads);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _map.Count;
            }
        }
    }

    public static string Key(string set, string keyText) => set + "\u001e" + keyText;

    /// <summary>
    /// Writes the cache key of a one-field key (<see cref="Key"/> of the set and the value's key text) into
    /// <paramref name="buffer"/>; false when it does not fit (then use <see cref="Key"/>).
    /// </summary>
    public static bool TryFormatKey(string set, long value, Span<char> buffer, out int written)
    {
        written = 0;
        if (set.Length + 1 >= buffer.Length)
        {
            return false;
        }

        set.AsSpan().CopyTo(buffer);
        buffer[set.Length] = '\u001e';
        if (!value.TryFormat(buffer[(set.Length + 1)..], out var n, default, System.Globalization.CultureInfo.InvariantCulture))
        {
            return false;
        }

        written = set.Length + 1 + n;
        return true;
    }

    /// <summary>A hit by a key held in a span: nothing is allocated (the row is the shared immutable instance).</summary>
    public bool TryGet(ReadOnlySpan<char> key, out RecordRow? row)
    {
        if (capacity > 0)
        {
            lock (_lock)
            {
                if (!_spanReady)
                {
                    _bySpan = _map.GetAlternateLookup<ReadOnlySpan<char>>();
                    _spanReady = true;
                }

                if (_bySpan.TryGetValue(key, out var node))
                {
                    _lru.Remove(node);
                    _lru.AddFirst(node);
                    row = node.Value.Row;
                    _hits++;
                    return true;
                }
            }
        }

        row = null;
        return false;
    }

    public bool TryGet(string key, out RecordRow? row) => TryGet(key.AsSpan(), out row);

    /// <summary>The cached row, or the one <paramref name="load"/> returns (one load for concurrent misses on a key).</summary>
    public async Task<RecordRow?> GetOrLoadAsync(string key, Func<Task<RecordRow?>> load)
    {
        if (capacity > 0 && TryGet(key, out var hit))
        {
            return hit;
        }

        Interlocked.Increment(ref _misses);
        var lazy = _loading.GetOrAdd(key, k => new Lazy<Task<RecordRow?>>(() => LoadAsync(k, load)));
        try
        {
            return await lazy.Value;
        }
        finally
        {
            _loading.TryRemove(KeyValuePair.Create(key, lazy));
        }
    }

    private async Task<RecordRow?> LoadAsync(string key, Func<Task<RecordRow?>> load)
    {
        Interlocked.Increment(ref _loads);
        var epoch = Interlocked.Read(ref _epoch);
        var row = await load();
        if (row is not null && capacity > 0)
        {
            lock (_lock)
            {
                // Note that an invalidation during the load may concern this key: then the row may be stale.
                if (_epoch == epoch && !_map.ContainsKey(key))
                {
                    _map[key] = _lru.AddFirst((key, row));
                    while (_map.Count > capacity)
                    {
                        var last = _lru.Last!;
                        _lru.RemoveLast();
                        _map.Remove(last.Value.Key);
                    }
                }
            }
        }

        return row;
    }

    public void Invalidate(string key)
    {
        lock (_lock)
        {
            _epoch++;
            if (_map.Remove(key, out var node))
            {
                _lru.Remove(node);
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _epoch++;
            _map.Clear();
            _lru.Clear();
        }
    }
}
