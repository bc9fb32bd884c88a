namespace Grove.Tree.Storage;

/// <summary>
/// A root store as its provider opened it: the index holding the root, the kind of its default bucket, the tables
/// engines keep beside the tree, the cluster bus and the leases. The tree disposes it.
/// </summary>
public abstract class OpenedStore : IAsyncDisposable
{
    /// <summary>The index that holds the root.</summary>
    public abstract IIndexer Index { get; }

    /// <summary>The storage kind of the default bucket when the options name none (<c>local</c>, <c>pgbm</c>, <c>mem</c>).</summary>
    public abstract string DefaultBucketKind { get; }

    /// <summary>A short description for messages (<c>sqlite</c>, <c>postgres (host/db)</c>).</summary>
    public abstract string Description { get; }

    /// <summary>The tables engines keep in the same database (<see cref="TreeService.Engines"/>).</summary>
    public abstract EngineStorage Engines { get; }

    /// <summary>The notification channel between the nodes sharing this store.</summary>
    public abstract IClusterBus Bus { get; }

    /// <summary>Leases that hold across the nodes sharing this store.</summary>
    public abstract ILeaseStore Leases { get; }

    /// <inheritdoc/>
    public abstract ValueTask DisposeAsync();
}
