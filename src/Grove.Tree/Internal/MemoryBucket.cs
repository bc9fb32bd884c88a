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

    public bool Exists(string sha256) => _blobs.ContainsKey(sha256);

    public IEnumerable<(string Sha256, DateTimeOffset Written)> EnumerateBlobs() =>
        _blobs.Select(kv => (kv.Key, kv.Value.Written)).ToList();

    public bool TryRemove(string sha256, DateTimeOffset notAfter) =>
        _blobs.TryGetValue(sha256, out var b) && b.Written <= notAfter &&
        _blobs.TryRemove(new KeyValuePair<string, (byte[], DateTimeOffset)>(sha256, b));

    public int RemoveStaleSwap(DateTimeOffset olderThan) => 0;
}
