using System.Runtime.CompilerServices;
using Grove.Tree.Storage;
using StackExchange.Redis;

namespace Grove.Tree.Redis.Internal;

/// <summary>
/// <c>redis(Name)</c> storage (the seed's RedisBM, for small, often-rewritten content such as sessions): each blob is
/// a Redis string under <c>grove:bm:&lt;Name&gt;:&lt;sha256&gt;</c>, capped (default 1 MiB). Content-addressed like the
/// other buckets so that a rewrite is committed only after its content is stored and a failed write changes nothing.
/// </summary>
internal sealed class RedisBucket(string name, string display, IDatabase db, string bucketKey, int maxBytes, TimeProvider time) : IBucket
{
    private readonly string _prefix = "grove:bm:" + bucketKey + ":";

    public string Name { get; } = name;

    public bool ContentAddressed => true;

    public SwapWriter CreateWriter(int inlineThreshold) => new(
        () => throw new TreeException(TreeErrorCode.ContentTooLarge,
            $"storage {display} holds at most {maxBytes} bytes per file (Grove:Redis:MaxBlobBytes); use lbm(Name) or an object-storage bucket for larger content"),
        maxBytes);

    private RedisKey Key(string sha) => _prefix + sha;

    public async Task PlaceAsync(SwapWriter writer, TreeObject target, CancellationToken ct)
    {
        var sha = await writer.FinishAsync(ct);
        var bytes = writer.InMemory!;
        var stamp = time.GetUtcNow().ToUnixTimeMilliseconds();
        await Run(async () =>
        {
            await db.HashSetAsync(Key(sha), [new HashEntry("d", bytes), new HashEntry("t", stamp)]);
            return true;
        });
    }

    public async Task<Stream> OpenReadAsync(TreeObject obj, CancellationToken ct)
    {
        var bytes = await Run(() => db.HashGetAsync(Key(obj.Sha256!), "d"));
        return bytes.IsNull
            ? throw new TreeException(TreeErrorCode.NotFound, $"content of {obj.Path ?? obj.Id} is missing from {display}; run fsck")
            : new MemoryStream((byte[])bytes!, writable: false);
    }

    public async ValueTask<bool> ExistsAsync(string sha256, CancellationToken ct) => await Run(() => db.KeyExistsAsync(Key(sha256)));

    public async IAsyncEnumerable<StoredBlob> ListBlobsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var server = db.Multiplexer.GetServers().First(s => !s.IsReplica);
        await foreach (var key in server.KeysAsync(db.Database, _prefix + "*", 1000))
        {
            var sha = key.ToString()[_prefix.Length..];
            var f = await db.HashGetAsync(key, ["t"]);
            var written = f[0].IsNull ? DateTimeOffset.MinValue : DateTimeOffset.FromUnixTimeMilliseconds((long)f[0]);
            yield return new StoredBlob(sha, written, await db.HashStringLengthAsync(key, "d"));
        }
    }

    public async ValueTask<bool> TryRemoveAsync(string sha256, DateTimeOffset notAfter, CancellationToken ct)
    {
        var key = Key(sha256);
        var t = await db.HashGetAsync(key, "t");
        if (t.IsNull || DateTimeOffset.FromUnixTimeMilliseconds((long)t) > notAfter)
        {
            return false;
        }

        var tx = db.CreateTransaction();
        tx.AddCondition(Condition.HashEqual(key, "t", t));
        _ = tx.KeyDeleteAsync(key);
        return await tx.ExecuteAsync();
    }

    public ValueTask<int> RemoveStaleSwapAsync(DateTimeOffset olderThan, CancellationToken ct) => ValueTask.FromResult(0);

    private async Task<T> Run<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            throw new TreeException(TreeErrorCode.StorageUnavailable, $"storage {display}: Redis cannot be reached ({e.Message.Split('\n')[0]})", e);
        }
    }
}
