namespace Grove.Tree.Internal.Cluster;

/// <summary>Leases held in this process, for stores no other process can open.</summary>
internal sealed class LocalLeaseStore(string node, TimeProvider time) : ILeaseStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Lease> _held = new(StringComparer.Ordinal);
    private long _fence;

    public Task<Lease?> TryAcquireAsync(string name, TimeSpan ttl, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_held.TryGetValue(name, out var h) && h.Until > now)
            {
                return Task.FromResult<Lease?>(null);
            }

            var lease = new Lease(name, node, ++_fence, now + ttl);
            _held[name] = lease;
            return Task.FromResult<Lease?>(lease);
        }
    }

    public Task<bool> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            if (!_held.TryGetValue(lease.Name, out var h) || h.Token != lease.Token)
            {
                return Task.FromResult(false);
            }

            _held[lease.Name] = h with { Until = time.GetUtcNow() + ttl };
            return Task.FromResult(true);
        }
    }

    public Task ReleaseAsync(Lease lease, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            if (_held.TryGetValue(lease.Name, out var h) && h.Token == lease.Token)
            {
                _held.Remove(lease.Name);
            }
        }

        return Task.CompletedTask;
    }

    public Task<Lease?> HolderAsync(string name, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_held.TryGetValue(name, out var h) && h.Until > time.GetUtcNow() ? h : null);
        }
    }
}
