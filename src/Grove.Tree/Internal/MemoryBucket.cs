using System.Collections.Concurrent;

namespace Grove.Tree.Internal;

/// <summary>A content-addressed bucket in memory, for throwaway content (<c>mem://…</c> and tests).</summary>
internal sealed class MemoryBucket(string name) : IBucket
{
    private const int MaxBlob = 256 << 20;
    private readonly ConcurrentDictionary<string, (byte[] Bytes, DateTimeOffset Written)> _blobs = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public bool ContentAddressed => true;

    public SwapWriter CreateWriter(int inlineThreshold) =>
        new(() => throw new TreeException(TreeErrorCode.NotSupported, $"memory bucket holds at most {MaxBlob >> 20} MiB per object"), MaxBlob);

    public async Task PlaceAsync(SwapWriter writer, TreeObject target, CancellationToken ct)
    {
        var sha = await writer.FinishAsync(ct);
        _blobs.AddOrUpdate(sha, _ => (writer.InMemory!, DateTimeOffset.UtcNow), (_, old) => (old.Bytes, DateTimeOffset.UtcNow));
    }

    public Task<Stream> OpenReadAsync(TreeObject obj, CancellationToken ct) =>
        _blobs.TryGetValue(obj.Sha256!, out var b)
            ? Task.FromResult<Stream>(new MemoryStream(b.Bytes, writable: false))
            : throw new TreeException(TreeErrorCode.NotFound, $"content of {obj.Path ?? obj.Id} is missing from memory bucket");

    public ValueTask<bool> ExistsAsync(string sha256, CancellationToken ct) => ValueTask.FromResult(_blobs.ContainsKey(sha256));

    public IAsyncEnumerable<StoredBlob> ListBlobsAsync(CancellationToken ct) =>
        _blobs.Select(kv => new StoredBlob(kv.Key, kv.Value.Written, kv.Value.Bytes.Length)).ToList().ToAsyncEnumerable();

    public ValueTask<bool> TryRemoveAsync(string sha256, DateTimeOffset notAfter, CancellationToken ct) => ValueTask.FromResult(
        _blobs.TryGetValue(sha256, out var b) && b.Written <= notAfter &&
        _blobs.TryRemove(new KeyValuePair<string, (byte[], DateTimeOffset)>(sha256, b)));

    public ValueTask<int> RemoveStaleSwapAsync(DateTimeOffset olderThan, CancellationToken ct) => ValueTask.FromResult(0);
}
