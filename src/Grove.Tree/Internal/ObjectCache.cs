using System.Collections.Concurrent;

namespace Grove.Tree.Internal;

/// <summary>
/// The hot-object cache in front of the indexers, by path and by id. Every change invalidates what it touched; a
/// change to a directory's place in the tree clears everything below by clearing all, since descendants' paths moved.
/// A read that raced with a change does not put its stale result back (generation check).
/// </summary>
internal sealed class ObjectCache
{
    private readonly ConcurrentDictionary<string, Located> _byPath = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Located> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Located>.AlternateLookup<ReadOnlySpan<char>> _byPathSpan;
    private long _generation;
    private volatile bool _suspended;

    // Note that ConcurrentDictionary.Count takes every lock stripe; an approximate count keeps puts lock-light.
    private int _approximateCount;

    private readonly int _capacity;

    public long Hits;
    public long Misses;

    public ObjectCache(int capacity)
    {
        _capacity = capacity;
        _byPathSpan = _byPath.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Read before the index lookup whose result will be cached.</summary>
    public long Generation => Volatile.Read(ref _generation);

    /// <summary>
    /// While suspended (the cluster bus has a gap: other nodes' changes may go unheard) the cache is empty, serves
    /// nothing and keeps nothing, so no read is served from a copy nobody can vouch for.
    /// </summary>
    public bool Suspended
    {
        get => _suspended;
        set
        {
            _suspended = value;
            Clear();
        }
    }

    public bool TryGetPath(string path, out Located found)
    {
        found = null!;
        if (!_suspended && _byPath.TryGetValue(path, out found!))
        {
            Interlocked.Increment(ref Hits);
            return true;
        }

        Interlocked.Increment(ref Misses);
        return false;
    }

    /// <summary>A lookup by a prefix of a path without copying it, not counted as a hit or miss.</summary>
    public bool TryGetPrefix(ReadOnlySpan<char> path, out Located found)
    {
        found = null!;
        return !_suspended && _byPathSpan.TryGetValue(path, out found!);
    }

    public bool TryGetId(string id, out Located found)
    {
        found = null!;
        return !_suspended && _byId.TryGetValue(id, out found!);
    }

    public void Put(Located loc, long generation)
    {
        if (_capacity <= 0 || _suspended || loc.Uncached || loc.Context.Indexer.Capabilities.HasFlag(IndexerCapabilities.ChangedOutside))
        {
            return;
        }

        if (Interlocked.Increment(ref _approximateCount) >= _capacity)
        {
            Trim();
        }

        _byPath[loc.Path] = loc;
        _byId[loc.Object.Id] = loc;

        // Note that the check comes after the put: if a change slipped in, take the entry out again.
        if (Generation != generation)
        {
            _byPath.TryRemove(new KeyValuePair<string, Located>(loc.Path, loc));
            _byId.TryRemove(new KeyValuePair<string, Located>(loc.Object.Id, loc));
        }
    }

    /// <summary>
    /// Caches a row a writer committed, when the only changes forgotten since <paramref name="before"/> (the generation
    /// read before its commit started) are the writer's own <paramref name="own"/> invalidations ending at
    /// <paramref name="after"/>: otherwise another writer may have committed a newer row after it, cached it and had
    /// it forgotten by this writer's invalidation.
    /// </summary>
    public void PutAfterCommit(Located loc, long before, long after, int own)
    {
        if (after == before + own)
        {
            Put(loc, after);
        }
    }

    /// <summary>Forgets one object (by its path and id); returns the generation after the change.</summary>
    public long Invalidate(string path, string id)
    {
        var generation = Interlocked.Increment(ref _generation);
        _byPath.TryRemove(path, out _);
        _byId.TryRemove(id, out _);
        return generation;
    }

    /// <summary>Forgets one object by id (a change made by another node), and the path it was cached under.</summary>
    public void InvalidateId(string id)
    {
        Interlocked.Increment(ref _generation);
        if (_byId.TryRemove(id, out var loc))
        {
            _byPath.TryRemove(new KeyValuePair<string, Located>(loc.Path, loc));
        }
    }

    /// <summary>Forgets everything (after a directory moved, was removed or (un)mounted).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _byPath.Clear();
        _byId.Clear();
        Volatile.Write(ref _approximateCount, 0);
    }

    private void Trim()
    {
        // Drop about a quarter, arbitrary entries: cheap, and hot entries come straight back.
        var drop = _capacity / 4;
        foreach (var key in _byPath.Keys)
        {
            if (drop-- <= 0)
            {
                break;
            }

            if (_byPath.TryRemove(key, out var loc))
            {
                _byId.TryRemove(loc.Object.Id, out _);
            }
        }

        Volatile.Write(ref _approximateCount, _byPath.Count);
    }
}
