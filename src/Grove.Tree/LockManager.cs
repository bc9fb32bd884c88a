namespace Grove.Tree;

/// <summary>
/// Named exclusive locks with a lease and a fencing token, for sections of work that must not run twice at once —
/// across every node of the store (on PostgreSQL the leases live in the database; see <see cref="ILeaseStore"/>). A
/// holder that lets the lease run out loses the lock to the next taker; its token is then stale, which the guarded
/// resource can check.
/// </summary>
public sealed class LockManager(ILeaseStore leases, TimeProvider time)
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>The leases the locks are made of.</summary>
    public ILeaseStore Leases => leases;

    /// <summary>
    /// Takes the lock, waiting up to <paramref name="wait"/> (default: forever) for the holder to release it or its
    /// lease to end. Fails with <c>lock_timeout</c> naming the holder.
    /// </summary>
    public async Task<TreeLock> AcquireAsync(string name, TimeSpan lease, TimeSpan? wait = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var deadline = wait is { } w ? time.GetUtcNow() + w : DateTimeOffset.MaxValue;
        var poll = FirstPoll;
        while (true)
        {
            if (await TryAcquireAsync(name, lease, ct) is { } got)
            {
                return got;
            }

            var now = time.GetUtcNow();
            if (now >= deadline)
            {
                var holder = await leases.HolderAsync(name, ct);
                throw new TreeException(TreeErrorCode.LockTimeout, holder is null
                    ? $"lock '{name}' is busy"
                    : $"lock '{name}' is held by node {holder.Holder} (token {holder.Token}) until {holder.Until:O}");
            }

            // Note that a holder on another node cannot signal a release here, so the wait polls, backing off; the
            // polls run on real time, the deadline on the tree's clock.
            var left = deadline - now;
            await Task.Delay(left < poll ? left : poll, ct);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, LongestPoll.Ticks));
        }
    }

    /// <summary>Takes the lock if it is free or its lease has ended; null otherwise.</summary>
    public async Task<TreeLock?> TryAcquireAsync(string name, TimeSpan lease, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return await leases.TryAcquireAsync(name, lease, ct) is { } got ? new TreeLock(leases, got, time) : null;
    }
}
