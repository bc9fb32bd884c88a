using System.Collections.Concurrent;

namespace Grove.Config.Internal.Engine;

/// <summary>
/// The write queue and group commit: writes wait their turn, the committer takes every queued write with disjoint keys
/// and commits them in one store transaction, and keys being committed are known (Diamond's 304 while modifying).
/// </summary>
internal sealed class WriteQueue(StoreLink store, ServedState served)
{

    private const int MaxGroupCommit = 256;

    private readonly List<PendingWrite> _pending = [];
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentDictionary<ConfigKey, int> _modifying = new();

    /// <summary>Writes waiting for a committer (tests watch writes queue up).</summary>
    public int QueuedWrites
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count(w => w.IsQueued);
            }
        }
    }

    /// <summary>
    /// Commits what <paramref name="decide"/> makes of the keys' current state, then serves it. Writes queue up while
    /// a commit is running; the next committer takes every queued write with keys disjoint from the others (in
    /// arrival order) and commits them in one store transaction (group commit): every commit moves the one revision
    /// counter, so concurrent commits would only collide, and one transaction of many changes costs little more than
    /// one of a single change. A write whose decision throws fails alone; the others commit. Writers on other nodes
    /// are caught by the version checks and retried by the store.
    /// </summary>
    public async Task<IReadOnlyList<AppliedChange>> WriteAsync(IReadOnlyList<ConfigKey> keys, ReadNeeds needs, Func<IReadOnlyDictionary<ConfigKey, KeyState>, IReadOnlyList<Change>> decide, CancellationToken ct)
    {
        if (!store.Available)
        {
            throw store.Unavailable();
        }

        var write = new PendingWrite(keys, needs, decide);
        lock (_pending)
        {
            _pending.Add(write);
        }

        while (!write.Outcome.IsCompleted)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var gate = _writeGate.WaitAsync(stop.Token);
            if (await Task.WhenAny(gate, write.Outcome) != gate)
            {
                // Another committer took this write along: stop waiting for the gate (or hand it back at once).
                await stop.CancelAsync();
                try
                {
                    await gate;
                    _writeGate.Release();
                }
                catch (OperationCanceledException)
                {
                }

                break;
            }

            try
            {
                await gate;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                if (write.TryAbandon())
                {
                    throw;
                }

                // Note that a committer has it already: its outcome is the write's, cancelled or not.
                return await write.Outcome;
            }

            try
            {
                if (!write.Outcome.IsCompleted)
                {
                    await CommitQueuedAsync();
                }
            }
            finally
            {
                _writeGate.Release();
            }
        }

        return await write.Outcome;
    }

    /// <summary>Takes the next group of queued writes (disjoint keys, arrival order) and commits them together. Holds the gate.</summary>
    private async Task CommitQueuedAsync()
    {
        var group = TakeGroup();
        if (group.Count == 0)
        {
            return;
        }

        var keys = group.SelectMany(w => w.Keys).Distinct().ToList();
        var needs = group.Aggregate(ReadNeeds.None, (n, w) => n | w.Needs);
        foreach (var k in keys)
        {
            _modifying.AddOrUpdate(k, 1, (_, n) => n + 1);
        }

        try
        {
            var applied = await store.CallAsync(s => s.CommitAsync(keys, needs, states => Decide(group, states), CancellationToken.None), CancellationToken.None);
            foreach (var a in applied)
            {
                served.Apply(a.Change.Key, a.Main, a.Rev, a.Beta, a.Rev, setsMain: a.Change.SetsMain, setsBeta: a.Change.SetsBeta);
            }

            foreach (var w in group)
            {
                if (w.Refusal is { } refusal)
                {
                    w.Fail(refusal);
                    continue;
                }

                var mine = w.Changes.ToHashSet(ReferenceEqualityComparer.Instance);
                w.Complete(applied.Where(a => mine.Contains(a.Change)).ToList());
            }
        }
        catch (Exception e)
        {
            foreach (var w in group)
            {
                w.Fail(e);
            }
        }
        finally
        {
            foreach (var k in keys)
            {
                if (_modifying.AddOrUpdate(k, 0, (_, n) => n - 1) <= 0)
                {
                    _modifying.TryRemove(new KeyValuePair<ConfigKey, int>(k, 0));
                }
            }
        }
    }

    private List<PendingWrite> TakeGroup()
    {
        var group = new List<PendingWrite>();
        var keys = new HashSet<ConfigKey>();
        lock (_pending)
        {
            var i = 0;
            while (i < _pending.Count && group.Count < MaxGroupCommit)
            {
                var w = _pending[i];
                if (!w.IsQueued)
                {
                    _pending.RemoveAt(i);
                    continue;
                }

                // Note that a write sharing a key with the group waits for the next one, and so does everything after
                // it: changes of one key commit in the order they were asked for.
                if (w.Keys.Any(keys.Contains))
                {
                    break;
                }

                _pending.RemoveAt(i);
                if (w.TryTake())
                {
                    group.Add(w);
                    keys.UnionWith(w.Keys);
                }
            }
        }

        return group;
    }

    /// <summary>Asks every write of the group to decide on its keys' states; a refusal keeps that write out of the commit.</summary>
    private static List<Change> Decide(List<PendingWrite> group, IReadOnlyDictionary<ConfigKey, KeyState> states)
    {
        var all = new List<Change>();
        foreach (var w in group)
        {
            try
            {
                w.Refusal = null;
                w.Changes = w.Decide(states);
                all.AddRange(w.Changes);
            }
            catch (Exception e)
            {
                w.Changes = [];
                w.Refusal = e;
            }
        }

        return all;
    }

    /// <summary>True while a change of the key is being committed on this node.</summary>
    public bool IsBeingModified(ConfigKey key) => _modifying.TryGetValue(key, out var n) && n > 0;

    /// <summary>Waits for a commit in flight to end (at disposal).</summary>
    public Task DrainAsync() => _writeGate.WaitAsync();
}
