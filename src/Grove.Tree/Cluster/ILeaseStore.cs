namespace Grove.Tree.Cluster;

/// <summary>
/// Named leases shared by every node of a store: one holder at a time, a fencing token that grows with every grant,
/// and an expiry after which another node may take over. On PostgreSQL a table (<c>grove_leases</c>) under the
/// database's clock; on stores no other process opens, in-process. <see cref="LockManager"/> builds waiting locks on it.
/// </summary>
public interface ILeaseStore
{
    /// <summary>Takes the lease if it is free or expired; null while someone else holds it.</summary>
    Task<Lease?> TryAcquireAsync(string name, TimeSpan ttl, CancellationToken ct);

    /// <summary>Extends a lease still held; false when it was lost (expired and taken, or released).</summary>
    Task<bool> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken ct);

    /// <summary>Gives a lease back (nothing when it was already lost).</summary>
    Task ReleaseAsync(Lease lease, CancellationToken ct);

    /// <summary>The current holder of a lease, or null when it is free or expired.</summary>
    Task<Lease?> HolderAsync(string name, CancellationToken ct);
}

/// <summary>A granted lease.</summary>
/// <param name="Name">The lease's name.</param>
/// <param name="Holder">The node holding it.</param>
/// <param name="Token">The fencing token: larger than any token granted before it.</param>
/// <param name="Until">When it expires unless renewed (by the store's clock).</param>
public sealed record Lease(string Name, string Holder, long Token, DateTimeOffset Until);
