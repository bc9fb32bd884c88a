using Grove.Records.Internal.Dao;
using Grove.Tree.Storage;

namespace Grove.Records;

/// <summary>Adds the records engine's storage provider to a <see cref="StorageRegistry"/>.</summary>
public static class RecordsStorageRegistryExtensions
{
    /// <summary>
    /// Serves <c>dao(Name)</c> mounts (replacing the built-in refusal): a directory whose children are the rows of
    /// record set Name. The provider finds the records engine open on the tree's store, or opens one of its own.
    /// </summary>
    public static StorageRegistry AddRecords(this StorageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new DaoIndexProvider());
    }
}
