namespace Grove.Tree.Internal.Providers;

/// <summary><c>mem</c> mounts: a throwaway index in memory.</summary>
internal sealed class MemIndexProvider : IIndexProvider
{
    public string Kind => "mem";

    public Task<MountedIndex> OpenAsync(MountSpec spec, string homeId, StorageContext context, CancellationToken ct) =>
        Task.FromResult(new MountedIndex(new MemIndexer()));
}

/// <summary><c>file://</c> mounts: the real files of a local folder, confined to it.</summary>
internal sealed class FileIndexProvider : IIndexProvider
{
    public string Kind => "file";

    public Task CheckAsync(MountSpec spec, StorageContext context, CancellationToken ct) =>
        Directory.Exists(spec.StorageSetting)
            ? Task.CompletedTask
            : throw new TreeException(TreeErrorCode.NotFound, $"local folder '{spec.StorageSetting}' of the file mount does not exist");

    public Task<MountedIndex> OpenAsync(MountSpec spec, string homeId, StorageContext context, CancellationToken ct)
    {
        var root = Path.GetFullPath(spec.StorageSetting!);
        return Task.FromResult(new MountedIndex(new LocalFileIndexer(root), new LocalFileBucket("file:" + homeId, root)));
    }
}
