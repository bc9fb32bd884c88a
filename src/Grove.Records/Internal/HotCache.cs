using System.Collections.Concurrent;

namespace Grove.Records.Internal;

/// <summary>
/// The primary-key hot cache (seed 002's GlobalManager done with an approximate LRU): bounded, immutable rows shared
/// by every reader, one load per key however many concurrent misses. A hit takes no lock: a lock-free dictionary
/// read and a "referenced" mark; eviction is CLOCK (second chance: a row read since the hand last passed is kept once
/// more), run by fills under the fill lock. A load fills the cache only if no invalidation happened while it ran, so
/// an acknowledged write is never followed by a stale read on the same node.
/// </summary>
internal sealed class HotCache
{
    private readonly int _capacity;
    private readonly Lock _fill = new();
    private readonly ConcurrentDictionary<CacheKey, Entry> _map = new();
    private readonly Queue<Entry> _clock = new();
    private readonly ConcurrentDictionary<CacheKey, Lazy<Task<RecordRow?>>> _loading = new();
    private long _epoch;
    // Note that hits are counted in per-thread stripes (a cache line each) without a lock prefix: a hit on many cores
    // then writes no shared line; a rare lost count only blurs the hit rate.
    private const int Stripes = 16;
    private const int Pad = 8;
    private readonly long[] _hits = new long[Stripes * Pad];
    private long _misses;
    private long _loads;

    public HotCache(int capacity)
    {
        _capacity = capacity;
    }

    public long Hits
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < Stripes; i++)
            {
                sum += Volatile.Read(ref _hits[i * Pad]);
            }

            return sum;
        }
    }

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Loads run against the database (at most one per key at a time).</summary>
    public long Loads => Interlocked.Read(ref _loads);

    public int Count => _map.Count;

    /// <summary>The text naming a row in bus messages: the set, a separator, the key text.</summary>
    public static string Key(string set, string keyText) => set + "\u001e" + keyText;

    /// <summary>A hit: no lock, nothing allocated (the row is the shared immutable instance).</summary>
    public bool TryGet(in CacheKey key, out RecordRow? row)
    {
        if (_capacity > 0 && _map.TryGetValue(key, out var entry))
        {
            // Note that the mark is written only when clear, so hot rows read on many cores keep their line shared.
            if (!entry.Referenced)
            {
                entry.Referenced = true;
            }

            _hits[(Environment.CurrentManagedThreadId & (Stripes - 1)) * Pad]++;
            row = entry.Row;
            return true;
        }

        row = null;
        return false;
    }

    /// <summary>The cached row, or the one <paramref name="load"/> returns (one load for concurrent misses on a key).</summary>
    public async Task<RecordRow?> GetOrLoadAsync(CacheKey key, Func<Task<RecordRow?>> load)
    {
        if (_capacity > 0 && TryGet(key, out var hit))
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

    private async Task<RecordRow?> LoadAsync(CacheKey key, Func<Task<RecordRow?>> load)
    {
        Interlocked.Increment(ref _loads);
        var epoch = Interlocked.Read(ref _epoch);
        var row = await load();
        if (row is not null && _capacity > 0)
        {
            Fill(key, row, epoch);
        }

        return row;
    }

    private void Fill(CacheKey key, RecordRow row, long epoch)
    {
        lock (_fill)
        {
            var entry = new Entry(key, row);
            if (Interlocked.Read(ref _epoch) != epoch || !_map.TryAdd(key, entry))
            {
                return;
            }

            // Note that an invalidation bumps the epoch before it removes: one that raced the add either sees the
            // entry and removes it, or bumped the epoch before this read, and then the entry is taken back here.
            if (Interlocked.Read(ref _epoch) != epoch)
            {
                _map.TryRemove(KeyValuePair.Create(key, entry));
                return;
            }

            _clock.Enqueue(entry);
            Evict();
        }
    }

    /// <summary>CLOCK: the hand skips (and clears) rows read since it last passed and drops the first one not read; dead entries are dropped as met.</summary>
    private void Evict()
    {
        var budget = _clock.Count * 2;
        while ((_map.Count > _capacity || _clock.Count > (_capacity * 2) + 16) && budget-- > 0 && _clock.TryDequeue(out var e))
        {
            if (!_map.TryGetValue(e.Key, out var current) || !ReferenceEquals(current, e))
            {
                continue;
            }

            if (_map.Count <= _capacity)
            {
                _clock.Enqueue(e); // compacting only: the hand keeps live rows as they are
                continue;
            }

            if (e.Referenced)
            {
                e.Referenced = false;
                _clock.Enqueue(e);
                continue;
            }

            _map.TryRemove(KeyValuePair.Create(e.Key, e));
        }
    }

    /// <summary>Drops the row a bus message names (<see cref="Key"/>).</summary>
    public void Invalidate(string message)
    {
        var key = CacheKey.Parse(message);
        Interlocked.Increment(ref _epoch);
        _map.TryRemove(key, out _);
    }

    public void Clear()
    {
        Interlocked.Increment(ref _epoch);
        lock (_fill)
        {
            _map.Clear();
            _clock.Clear();
        }
    }

    private sealed class Entry(CacheKey key, RecordRow row)
    {
        public CacheKey Key { get; } = key;

        public RecordRow Row { get; } = row;

        public bool Referenced { get; set; }
    }
}
