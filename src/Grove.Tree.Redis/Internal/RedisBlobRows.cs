using Grove.Tree.Storage;
using StackExchange.Redis;

namespace Grove.Tree.Redis.Internal;

/// <summary>Blob reference rows of a Redis index: one hash per bucket (sha → length|refs|zeroSince) and a sorted set of unreferenced blobs.</summary>
internal static class RedisBlobRows
{
    public static async Task<BlobRow?> GetAsync(IDatabase db, RedisKeys keys, string bucket, string sha)
    {
        var v = await db.HashGetAsync(keys.Blobs(bucket), sha);
        return v.IsNull ? null : RedisKeys.ParseBlob(bucket, sha, v.ToString());
    }

    public static async Task<IReadOnlyList<BlobRow>> ListAsync(IDatabase db, RedisKeys keys, string bucket, string? afterSha, int limit)
    {
        var all = await db.HashGetAllAsync(keys.Blobs(bucket));
        return [.. all.Select(e => RedisKeys.ParseBlob(bucket, e.Name.ToString(), e.Value.ToString()))
            .Where(b => string.CompareOrdinal(b.Sha256, afterSha ?? "") > 0)
            .OrderBy(b => b.Sha256, StringComparer.Ordinal).Take(limit)];
    }

    public static async Task<IReadOnlyList<BlobRow>> UnreferencedAsync(IDatabase db, RedisKeys keys, long zeroBefore, BlobRow? after, int limit)
    {
        var members = await db.SortedSetRangeByScoreWithScoresAsync(keys.Unreferenced, after?.ZeroSince ?? double.NegativeInfinity, zeroBefore);
        var rows = new List<BlobRow>();
        foreach (var m in members.OrderBy(m => m.Score).ThenBy(m => m.Element.ToString(), StringComparer.Ordinal))
        {
            var text = m.Element.ToString();
            var cut = text.IndexOf('\n', StringComparison.Ordinal);
            var (bucket, sha) = (text[..cut], text[(cut + 1)..]);
            if (after is not null && (long)m.Score == after.ZeroSince && string.CompareOrdinal(bucket + "\n" + sha, after.Bucket + "\n" + after.Sha256) <= 0)
            {
                continue;
            }

            if (await GetAsync(db, keys, bucket, sha) is { Refs: <= 0 } row)
            {
                rows.Add(row);
                if (rows.Count == limit)
                {
                    break;
                }
            }
        }

        return rows;
    }

    public static async Task<bool> DeleteIfUnreferencedAsync(IDatabase db, RedisKeys keys, string bucket, string sha, long zeroBefore)
    {
        var current = await db.HashGetAsync(keys.Blobs(bucket), sha);
        if (current.IsNull || RedisKeys.ParseBlob(bucket, sha, current.ToString()) is not { Refs: <= 0, ZeroSince: { } z } || z > zeroBefore)
        {
            return false;
        }

        var tx = db.CreateTransaction();
        tx.AddCondition(Condition.HashEqual(keys.Blobs(bucket), sha, current));
        _ = tx.HashDeleteAsync(keys.Blobs(bucket), sha);
        _ = tx.SortedSetRemoveAsync(keys.Unreferenced, bucket + "\n" + sha);
        return await tx.ExecuteAsync();
    }
}
