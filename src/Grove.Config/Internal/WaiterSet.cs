namespace Grove.Config.Internal;

/// <summary>The long polls waiting on one key. Once emptied and retired it takes no more waiters (a fresh set replaces it).</summary>
internal sealed class WaiterSet
{
    private readonly HashSet<Waiter> _waiters = [];
    private bool _retired;

    public bool TryAdd(Waiter w)
    {
        lock (_waiters)
        {
            if (_retired)
            {
                return false;
            }

            _waiters.Add(w);
            return true;
        }
    }

    /// <summary>Removes the waiter; true when the set is now empty and retired.</summary>
    public bool RemoveAndRetireIfEmpty(Waiter w)
    {
        lock (_waiters)
        {
            _waiters.Remove(w);
            _retired = _waiters.Count == 0;
            return _retired;
        }
    }

    public Waiter[] Snapshot()
    {
        lock (_waiters)
        {
            return [.. _waiters];
        }
    }
}
