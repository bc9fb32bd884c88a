namespace Grove.Tree;

/// <summary>A held lock from <see cref="LockManager"/>; dispose to release it.</summary>
public sealed class TreeLock : IAsyncDisposable
{
    private readonly ILeaseStore _leases;
    private readonly TimeProvider _time;
    private Lease _lease;
    private bool _released;

    internal TreeLock(ILeaseStore leases, Lease lease, TimeProvider time)
    {
        _leases = leases;
        _lease = lease;
        _time = time;
    }

    /// <summary>The lock's name.</summary>
    public string Name => _lease.Name;

    /// <summary>The fencing token: larger than any token handed out before for any lock of the store.</summary>
    public long Token => _lease.Token;

    /// <summary>Whether this holder still has the lock as far as it knows (released or past its lease: no).</summary>
    public bool IsHeld => !_released && _lease.Until > _time.GetUtcNow();

    /// <summary>Extends the lease; false when the lock was already lost.</summary>
    public async Task<bool> RenewAsync(TimeSpan lease, CancellationToken ct = default)
    {
        if (_released || !await _leases.RenewAsync(_lease, lease, ct))
        {
            return false;
        }

        _lease = _lease with { Until = _time.GetUtcNow() + lease };
        return true;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_released)
        {
            _released = true;
            await _leases.ReleaseAsync(_lease, CancellationToken.None);
        }
    }
}
