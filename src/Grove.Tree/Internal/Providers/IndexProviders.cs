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

/// <summary>
/// <c>mq(Key)</c> mounts: a directory that is a durable FIFO queue. Its files stay in the parent's index (content in
/// the bucket the expression names); the queue engine (Grove.Queues) keeps the message table in step with them, and
/// inside a <c>redis</c> mount writes and deletes the message rows itself.
/// </summary>
internal sealed class MqIndexProvider : IIndexProvider
{
    public string Kind => "mq";

    public bool KeepsObjectsInParent => true;

    public bool ChildrenChangeOutside => true;

    public string? CheckSetting(string? setting) =>
        setting is null || (setting.Length is > 0 and <= 64 && setting.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            ? null
            : "a queue key is 1 to 64 characters of A-Z a-z 0-9 . _ -";

    public Task<MountedIndex> OpenAsync(MountSpec spec, string homeId, StorageContext context, CancellationToken ct) =>
        throw new TreeException(TreeErrorCode.NotSupported, "a queue mount keeps its files in the parent's index; it has no index to open");
}
