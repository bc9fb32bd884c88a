namespace Grove.Tree.Storage;

/// <summary>
/// Opens a root store from a <see cref="StoreSpec"/>: the index that holds the root, and what engines share with
/// it (their tables, the cluster bus, leases). Register on a <see cref="StorageRegistry"/>.
/// </summary>
public interface IStoreProvider
{
    /// <summary>The kind this provider serves (<see cref="StoreSpec.Kind"/>).</summary>
    string Kind { get; }

    /// <summary>Whether the store keeps files in the data folder (which is then created and locked to one process).</summary>
    bool UsesDataFolder { get; }

    /// <summary>Opens (creating if needed) the store.</summary>
    Task<OpenedStore> OpenAsync(StoreSpec spec, StorageContext context, CancellationToken ct);

    /// <summary>Whether the store certainly holds no tree yet (a data folder without an index); false when unsure.</summary>
    Task<bool> IsMissingAsync(StoreSpec spec, StorageContext context, CancellationToken ct) => Task.FromResult(false);
}

/// <summary>
/// Opens the index of a mount whose expression names this provider's kind (<c>mem</c>, <c>file://…</c>,
/// <c>redis(Key)</c>…). Register on a <see cref="StorageRegistry"/>.
/// </summary>
public interface IIndexProvider
{
    /// <summary>The index type this provider serves (<see cref="MountSpec.IndexType"/>).</summary>
    string Kind { get; }

    /// <summary>The syntax check of the setting in parentheses when an expression is parsed: null when well formed, else the message.</summary>
    string? CheckSetting(string? setting) => null;

    /// <summary>
    /// True when the mount's objects stay in the parent's index, as for a storage-only mount (content in the bucket the
    /// expression names): the kind gives the directory a meaning an engine serves (<c>mq</c> queues), not an index.
    /// <see cref="OpenAsync"/> is then never called.
    /// </summary>
    bool KeepsObjectsInParent => false;

    /// <summary>
    /// With <see cref="KeepsObjectsInParent"/>: when the directory sits inside another mount's index, the engine serving
    /// this kind may add and remove the directory's children in that index by itself (a queue on Redis writes each
    /// message in one script), so the tree's cache never keeps those children.
    /// </summary>
    bool ChildrenChangeOutside => false;

    /// <summary>Checks, before the mount is recorded, that it can be served; throws a <see cref="TreeException"/> naming the cause.</summary>
    Task CheckAsync(MountSpec spec, StorageContext context, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Opens the mount's index. <paramref name="homeId"/> is the id of the mount's directory in the parent index.
    /// Returns the index and, when the index keeps content of its own (a file mount's real files), its bucket.
    /// </summary>
    Task<MountedIndex> OpenAsync(MountSpec spec, string homeId, StorageContext context, CancellationToken ct);
}

/// <summary>What an <see cref="IIndexProvider"/> opened.</summary>
/// <param name="Index">The mount's index.</param>
/// <param name="Bucket">The mount's own bucket, or null to use the storage the expression names (or the parent's).</param>
public sealed record MountedIndex(IIndexer Index, IBucket? Bucket = null);

/// <summary>
/// Opens buckets of one storage kind (<c>lbm(Name)</c>, <c>pgbm(Name)</c>, <c>aliyunoss(Name)</c>…, and the
/// default bucket when the store names this kind). Register on a <see cref="StorageRegistry"/>.
/// </summary>
public interface IBucketProvider
{
    /// <summary>The storage kind this provider serves (<see cref="MountSpec.StorageKind"/>).</summary>
    string Kind { get; }

    /// <summary>The syntax check of the setting in parentheses when an expression is parsed: null when well formed, else the message.</summary>
    string? CheckSetting(string? setting) => null;

    /// <summary>Checks that a bucket of this kind can be used here; throws a <see cref="TreeException"/> naming the cause.</summary>
    void Check(string? setting, StorageContext context)
    {
    }

    /// <summary>
    /// Opens a bucket. <paramref name="name"/> is what rows store in <c>bk</c>: <c>""</c> for the default bucket,
    /// else <c>kind:setting</c>. Called once per name; the kernel keeps the bucket.
    /// </summary>
    IBucket Open(string name, string? setting, StorageContext context);

    /// <summary>The names (<c>kind:setting</c>) of buckets of this kind that hold content, for fsck.</summary>
    IAsyncEnumerable<string> ExistingAsync(StorageContext context, CancellationToken ct) => AsyncEnumerable.Empty<string>();
}
