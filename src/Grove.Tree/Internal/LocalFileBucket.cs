namespace Grove.Tree.Internal;

/// <summary>
/// The local-file bucket of a <c>file://</c> mount (the seed's LocalFileBM): content is the real file at the
/// object's relative path under the mount root. New content goes to a hidden swap folder inside the root and is
/// renamed over the file once durable, so a reader never sees half a file.
/// </summary>
internal sealed class LocalFileBucket(string name, string root) : IBucket
{
    /// <summary>Hidden folder for swap files inside the mount root; listings skip it.</summary>
    public const string SwapFolder = ".grove-swap";

    public string Name { get; } = name;

    public bool ContentAddressed => false;

    public SwapWriter CreateWriter(int inlineThreshold) => new(() =>
    {
        var swap = Path.Combine(root, SwapFolder);
        Directory.CreateDirectory(swap);
        return Path.Combine(swap, ObjectIds.New());
    }, 0);

    public async Task PlaceAsync(SwapWriter writer, TreeObject target, CancellationToken ct)
    {
        await writer.FinishAsync(ct);
        var full = SafePath.Resolve(root, target.Id);
        if (writer.SwapPath is null)
        {
            await using var f = new FileStream(full, FileMode.Create, FileAccess.Write, FileShare.None, 0);
            await using var content = writer.OpenContent();
            await content.CopyToAsync(f, ct);
            f.Flush(flushToDisk: true);
        }
        else
        {
            writer.CloseFile();
            File.Move(writer.SwapPath, full, overwrite: true);
            writer.Adopted = true;
        }

        Durability.FsyncDirectory(Path.GetDirectoryName(full)!);
    }

    public Task<Stream> OpenReadAsync(TreeObject obj, CancellationToken ct)
    {
        var full = SafePath.Resolve(root, obj.Id);
        try
        {
            return Task.FromResult<Stream>(new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TreeException(TreeErrorCode.NotFound, $"not found: {obj.Path ?? obj.Id}", e);
        }
    }

    public ValueTask<bool> ExistsAsync(string sha256, CancellationToken ct) => ValueTask.FromResult(false);

    public IAsyncEnumerable<StoredBlob> ListBlobsAsync(CancellationToken ct) => AsyncEnumerable.Empty<StoredBlob>();

    public ValueTask<bool> TryRemoveAsync(string sha256, DateTimeOffset notAfter, CancellationToken ct) => ValueTask.FromResult(false);

    public ValueTask<int> RemoveStaleSwapAsync(DateTimeOffset olderThan, CancellationToken ct) => ValueTask.FromResult(RemoveStaleSwap(olderThan));

    private int RemoveStaleSwap(DateTimeOffset olderThan)
    {
        var swap = Path.Combine(root, SwapFolder);
        if (!Directory.Exists(swap))
        {
            return 0;
        }

        var removed = 0;
        foreach (var f in Directory.EnumerateFiles(swap).Where(f => File.GetLastWriteTimeUtc(f) < olderThan.UtcDateTime))
        {
            File.Delete(f);
            removed++;
        }

        return removed;
    }
}
