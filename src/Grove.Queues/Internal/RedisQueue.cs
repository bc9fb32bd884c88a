using System.Globalization;
using StackExchange.Redis;

namespace Grove.Queues.Internal;

/// <summary>
/// One queue on Redis Streams (a queue directory inside a <c>redis(Key)</c> mount): entries added after the file's
/// commit (XADD), claimed through the consumer group (XREADGROUP, XAUTOCLAIM once a claim timed out), acked by
/// deleting the file (XACK + XDEL). See <see cref="RedisQueueScripts"/>. Its keys are named by the queue directory's
/// id inside the Redis index, which every node sharing that Redis sees alike.
/// </summary>
internal sealed class RedisQueue(IDatabase db, string key, string queueId, long maxVisibilityMs)
{
    /// <summary>The set of every Redis queue (<c>Key\nlocal id\npublic id</c>), for the stats of all queues.</summary>
    public static readonly RedisKey Registry = "grove:mq:queues";

    private readonly string _prefix = "grove:" + key + ":mq:" + LocalId(queueId) + ":";

    /// <summary>The queue directory's public id.</summary>
    public string QueueId => queueId;

    public string Member => key + "\n" + LocalId(queueId) + "\n" + queueId;

    /// <summary>The id of an object inside the index that holds it (a mount's rows carry <c>home:local</c> ids).</summary>
    public static string LocalId(string id) => ObjectIds.TrySplit(id, out _, out var local) ? local : id;

    /// <summary>The public id of a file of this queue from its id in the index (the queue's files share its mount).</summary>
    private string PublicId(string local) => ObjectIds.TrySplit(queueId, out var home, out _) ? home + ":" + local : local;

    private RedisKey Stream => _prefix + "s";

    private RedisKey Seq => _prefix + "seq";

    private RedisKey Objects => _prefix + "o";

    private RedisKey Names => _prefix + "nm";

    private RedisKey Receipts => _prefix + "r";

    public async Task<long> EnqueueAsync(string obj, string name, long enqueued) =>
        (long)await db.ScriptEvaluateAsync(RedisQueueScripts.Enqueue, [Stream, Seq, Objects, Names, Registry],
            [LocalId(obj), name, enqueued, Member]);

    public Task RemoveAsync(string obj) => db.ScriptEvaluateAsync(RedisQueueScripts.Remove, [Stream, Objects, Names, Receipts], [LocalId(obj)]);

    public Task RenameAsync(string obj, string name) => db.ScriptEvaluateAsync(RedisQueueScripts.Rename, [Objects, Names], [LocalId(obj), name]);

    public async Task DeleteAsync()
    {
        await db.KeyDeleteAsync([Stream, Seq, Objects, Names, Receipts]);
        await db.SetRemoveAsync(Registry, Member);
    }

    /// <summary>Claims the first timed-out or new entry for <paramref name="visibilityMs"/>; null when none.</summary>
    public async Task<QueueStore.Row?> ClaimAsync(long visibilityMs, string secret, long now)
    {
        var r = await db.ScriptEvaluateAsync(RedisQueueScripts.Claim, [Stream, Receipts, Names], [maxVisibilityMs, visibilityMs, secret]);
        if (r.IsNull)
        {
            return null;
        }

        var f = (RedisResult[])r!;
        return new QueueStore.Row(Number(f[0].ToString()), PublicId(f[2].ToString()), f[4].ToString(), (int)f[1],
            long.Parse(f[3].ToString(), CultureInfo.InvariantCulture), now + visibilityMs);
    }

    /// <summary>
    /// Checks a receipt (and for a nack makes the entry claimable after <paramref name="delayMs"/>): the held file's
    /// public id and name, or null when the receipt is stale.
    /// </summary>
    public async Task<(string Obj, string Name)?> SettleAsync(long n, string secret, bool nack, long delayMs)
    {
        var r = (RedisResult[])(await db.ScriptEvaluateAsync(RedisQueueScripts.Settle, [Stream, Receipts, Names],
            [Id(n), secret, maxVisibilityMs, nack ? "nack" : "ack", Math.Max(0, maxVisibilityMs - delayMs)]))!;
        return r[0].ToString() == "ok" ? (PublicId(r[1].ToString()), r[2].ToString()) : null;
    }

    /// <summary>The sequence number and enqueue time of a file's entry, or null when it has none (never queued, or acked already).</summary>
    public async Task<(long Seq, long Enqueued)?> EntryOfAsync(string obj)
    {
        var r = await db.ScriptEvaluateAsync(RedisQueueScripts.Entry, [Objects, Stream], [LocalId(obj)]);
        if (r.IsNull)
        {
            return null;
        }

        var f = (RedisResult[])r!;
        return ((long)f[0], (long)f[1]);
    }

    /// <summary>Entries in FIFO order after sequence <paramref name="after"/>, with their deliveries and when they are claimable.</summary>
    public async Task<IReadOnlyList<QueueStore.Row>> ListAsync(long after, int limit, long now)
    {
        var entries = await db.StreamRangeAsync(Stream, after <= 0 ? "-" : "(" + Id(after), "+", limit);
        if (entries.Length == 0)
        {
            return [];
        }

        var pending = await PendingAsync(entries[0].Id, entries[^1].Id, entries.Length);
        var names = await db.HashGetAsync(Names, [.. entries.Select(e => e[(RedisValue)"obj"])]);
        var rows = new List<QueueStore.Row>(entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var e = entries[i];
            var enq = (long)e["enq"];
            var (idle, deliveries) = pending.TryGetValue(e.Id.ToString(), out var p) ? p : (-1L, 0);
            var visible = idle >= 0 && idle < maxVisibilityMs ? now + maxVisibilityMs - idle : enq;
            rows.Add(new QueueStore.Row(Number(e.Id.ToString()), PublicId(e["obj"].ToString()), names[i].ToString(), deliveries, enq, visible));
        }

        return rows;
    }

    /// <summary>Depth, messages held by a claim that has not timed out, and the oldest enqueue time.</summary>
    public async Task<(long Depth, long InFlight, long? Oldest)> StatsAsync()
    {
        var depth = await db.StreamLengthAsync(Stream);
        if (depth == 0)
        {
            return (0, 0, null);
        }

        var first = await db.StreamRangeAsync(Stream, "-", "+", 1);
        var pending = await PendingAsync("-", "+", 10_000);
        return (depth, pending.Values.Count(p => p.Idle < maxVisibilityMs), first.Length == 0 ? null : (long)first[0]["enq"]);
    }

    private async Task<Dictionary<string, (long Idle, int Deliveries)>> PendingAsync(RedisValue from, RedisValue to, int count)
    {
        var result = new Dictionary<string, (long, int)>(StringComparer.Ordinal);
        var r = await db.ExecuteAsync("XPENDING", Stream, "g", from, to, count);
        foreach (var item in (RedisResult[])r!)
        {
            var f = (RedisResult[])item!;
            result[f[0].ToString()] = ((long)f[2], (int)f[3]);
        }

        return result;
    }

    private static string Id(long n) => n.ToString(CultureInfo.InvariantCulture) + "-1";

    private static long Number(string id) => long.Parse(id.AsSpan(0, id.IndexOf('-', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
}
