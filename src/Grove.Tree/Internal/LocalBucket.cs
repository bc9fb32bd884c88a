namespace Grove.Tree.Internal;

/// <summary>
/// The content-addressed local bucket (the seed's LocalIoBM): blobs at <c>buck/&lt;4 hex&gt;/&lt;60 hex&gt;</c> named by
/// SHA-256, new content written to <c>swap/</c> first and renamed into place once durable.
/// </summary>
internal sealed class LocalBucket : IBucket
{
    private readonly string _buck;
    private readonly string _swap;

    public LocalBucket(string name, string root)
    {
        Name = name;
        _buck = Path.Combine(root, "buck");
        _swap = Path.Combine(root, "swap");
        Directory.CreateDirectory(_buck);
        Directory.CreateDirectory(_swap);
    }

    public string Name { get; }

    public bool ContentAddressed => true;

    public SwapWriter CreateWriter(int inlineThreshold) =>
        new(() => Path.Combine(_swap, ObjectIds.New()), inlineThreshold);

    public string BlobPath(string sha256) => Path.Combine(_buck, sha256[..4], sha256[4..]);

    public async Task PlaceAsync(SwapWriter writer, TreeObject target, CancellationToken ct)
    {
        var sha = await writer.FinishAsync(ct);
        var path = BlobPath(sha);
        if (Touch(path))
        {
            return; // Already stored: de-duplicated, the swap copy is dropped on dispose.
        }

        var dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        if (writer.SwapPath is null)
        {
            // Small content that never spilled: write it durably through a swap file of its own.
            var tmp = Path.Combine(_swap, ObjectIds.New());
            await using (var f = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
            {
                await using var content = writer.OpenContent();
                await content.CopyToAsync(f, ct);
                f.Flush(flushToDisk: true);
            }

            MoveIntoPlace(tmp, path);
        }
        else
        {
            writer.CloseFile();
            MoveIntoPlace(writer.SwapPath, path);
            writer.Adopted = true;
        }

        Durability.FsyncDirectory(dir);
    }

    private static void MoveIntoPlace(string from, string to)
    {
        try
        {
            File.Move(from, to, overwrite: false);
        }
        catch (IOException) when (File.Exists(to))
        {
            // Another writer placed the same content first; identical bytes, so keep theirs.
            File.Delete(from);
        }
    }

    /// <summary>Marks an existing blob as just used, so a concurrent sweep keeps it. False when it is not there.</summary>
    private static bool Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }

    public Task<Stream> OpenReadAsync(TreeObject obj, CancellationToken ct)
    {
        var path = BlobPath(obj.Sha256!);
        try
        {
            Stream s = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                BufferSize = 0,
                Options = FileOptions.SequentialScan | FileOptions.Asynchronous,
            });
            return Task.FromResult(s);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TreeException(TreeErrorCode.NotFound, $"content of {obj.Path ?? obj.Id} is missing from bucket (sha256 {obj.Sha256}); run fsck", e);
        }
    }

    public ValueTask<bool> ExistsAsync(string sha256, CancellationToken ct) => ValueTask.FromResult(File.Exists(BlobPath(sha256)));

    public async IAsyncEnumerable<StoredBlob> ListBlobsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await Task.CompletedTask;
        foreach (var dir in Directory.EnumerateDirectories(_buck))
        {
            var head = Path.GetFileName(dir);
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                var name = Path.GetFileName(file);
                if (head.Length == 4 && name.Length == 60 && !name.Contains('.', StringComparison.Ordinal))
                {
                    ct.ThrowIfCancellationRequested();
                    var info = new FileInfo(file);
                    yield return new StoredBlob(head + name, info.LastWriteTimeUtc, info.Exists ? info.Length : -1);
                }
            }
        }
    }

    public ValueTask<bool> TryRemoveAsync(string sha256, DateTimeOffset notAfter, CancellationToken ct) => ValueTask.FromResult(TryRemove(sha256, notAfter));

    private bool TryRemove(string sha256, DateTimeOffset notAfter)
    {
        var path = BlobPath(sha256);
        var tomb = path + ".del-" + ObjectIds.New();
        try
        {
            // Note that the rename comes first: a writer touching the blob after it fails to find it and places its own
            // copy; a writer that touched it before leaves a fresh time stamp on the tombstone, which is then restored.
            File.Move(path, tomb);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }

        if (File.GetLastWriteTimeUtc(tomb) > notAfter.UtcDateTime)
        {
            File.Move(tomb, path, overwrite: true);
            return false;
        }

        File.Delete(tomb);
        return true;
    }

    public ValueTask<int> RemoveStaleSwapAsync(DateTimeOffset olderThan, CancellationToken ct) => ValueTask.FromResult(RemoveStaleSwap(olderThan));

    private int RemoveStaleSwap(DateTimeOffset olderThan)
    {
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(_swap))
        {
            if (File.GetLastWriteTimeUtc(file) < olderThan.UtcDateTime)
            {
                File.Delete(file);
                removed++;
            }
        }

        // A tombstone outlives its sweep only if the process died mid-sweep: put the blob back and let
        // the next sweep decide again with the reference counts in hand.
        foreach (var tomb in Directory.EnumerateFiles(_buck, "*.del-*", SearchOption.AllDirectories))
        {
            var blob = tomb[..tomb.LastIndexOf(".del-", StringComparison.Ordinal)];
            if (File.Exists(blob))
            {
                File.Delete(tomb);
            }
            else
            {
                File.Move(tomb, blob);
            }
        }

        return removed;
    }
}
