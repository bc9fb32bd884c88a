using Grove.Tree;
using Grove.Tree.Storage;

namespace Grove.Records.Internal.Dao;

/// <summary>
/// <c>dao(Name)</c> mounts (seed 003's DaoIndexer): a directory whose children are the rows of record set Name. The
/// record set is resolved when the mount is made (an unknown set is refused, naming it) and again on every use, so a
/// redefined mapping takes effect at once and a set dropped later answers <c>not_found</c>.
/// </summary>
internal sealed class DaoIndexProvider : IIndexProvider
{
    public string Kind => "dao";

    public string? CheckSetting(string? setting) =>
        setting is not null && MappingValidator.IsIdentifier(setting)
            ? null
            : $"dao(Name) names a record set (a letter or _, then letters, digits or _), not '{setting}'";

    public async Task CheckAsync(MountSpec spec, StorageContext context, CancellationToken ct)
    {
        await using var index = (DaoIndexer)(await OpenAsync(spec, "", context, ct)).Index;
        _ = await index.HasChildrenAsync("", ct);
    }

    public Task<MountedIndex> OpenAsync(MountSpec spec, string homeId, StorageContext context, CancellationToken ct)
    {
        var store = context.Store ?? throw new TreeException(TreeErrorCode.NotSupported, "a dao mount needs the tree's store");
        var bucket = spec.StorageKind.Length == 0 ? "" : spec.StorageKind + ":" + spec.StorageSetting;
        return Task.FromResult(new MountedIndex(new DaoIndexer(new DaoServices(store, context.Time), spec.IndexSetting!, bucket, context.Time)));
    }
}
