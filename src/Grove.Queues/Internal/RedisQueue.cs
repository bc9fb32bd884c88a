using System.Globalization;
using System.Security.Cryptography;
using Grove.Tree.Redis;
using StackExchange.Redis;

namespace Grove.Queues.Internal;

/// <summary>
/// One queue on Redis Streams (a queue directory inside a <c>redis(Key)</c> mount): push, claim, ack and nack are one
/// script each (<see cref="RedisQueueScripts"/>); a file the tree itself creates in the queue, deletes or moves out is
/// kept in step after its commit (<see cref="QueueHook"/>). Its keys are named by the queue directory's id inside the
/// Redis index, which every node sharing that Redis sees alike.
/// </summary>
/// <param name="db">The shared connection's database.</param>
/// <param name="key">The Key of the <c>redis(Key)</c> mount that holds the queue's files.</param>
/// <param name="queueId">The queue directory's public id.</param>
/// <param name="storage">The <c>redis(Name)</c> storage the queue's content goes to, or null when it goes elsewhere (pushes then go through the tree; a push by script keeps the content inline in its row).</param>
internal sealed class RedisQueue(IDatabase db, string key, string queueId, RedisStorage? storage = null)
{
    /// <summary>The set of every Redis queue (<c>Key\nlocal id\npublic id</c>), for the stats of all queues.</summary>
    public static readonly RedisKey Registry = "grove:mq:queues";

    private readonly string _index = RedisIndexLayout.IndexPrefix(key);
    private readonly string _local = LocalId(queueId);

    private readonly string? _home = ObjectIds.TrySplit(queueId, out var home, out _) ? home + ":" : null;

    // Note that the keys are made once: a message's three scripts name them on every call.
    private readonly RedisKey[] _keys = [.. new[] { "s", "seq", "o", "r", "dl" }.Select(k => (RedisKey)("grove:" + key + ":mq:" + LocalId(queueId) + ":" + k))];

    private RedisKey[]? _pushKeys;

    private RedisKey[]? _messageKeys;

    private readonly string _tag = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(LocalId(queueId))).AsSpan(0, 3));

    /// <summary>The start of every secret of this queue's receipts (so another queue's receipt reads as invalid, not stale).</summary>
    public string Tag => _tag;

    /// <summary>A claim's secret: the queue's tag and 96 random bits.</summary>
    public string NewSecret() => _tag + SecretBytes.Hex(12);

    /// <summary>The queue directory's public id.</summary>
    public string QueueId => queueId;

    /// <summary>The Redis storage a push writes content to, or null.</summary>
    public RedisStorage? Storage => storage;

    /// <summary>The queue's member of <see cref="Registry"/>.</summary>
    public string Member { get; } = key + "\n" + LocalId(queueId) + "\n" + queueId;

    /// <summary>The id of an object inside the index that holds it (a mount's rows carry <c>home:local</c> ids).</summary>
    public static string LocalId(string id) => ObjectIds.TrySplit(id, out _, out var local) ? local : id;

    /// <summary>The public id of a file of this queue from its id in the index (the queue's files share its mount).</summary>
    public string PublicId(string local) => _home is null ? local : _home + local;

    /// <summary>The queue's id in the index that holds it.</summary>
    public string Local => _local;

    private RedisKey Stream => _keys[0];

    private RedisKey Seq => _keys[1];

    private RedisKey Objects => _keys[2];

    private RedisKey Receipts => _keys[3];

    private RedisKey Deadlines => _keys[4];

    private RedisKey[] PushKeys => _pushKeys ??= [Stream, Seq, Registry];

    private RedisKey[] MessageKeys => _messageKeys ??= [Stream, Receipts, Objects, Deadlines];

    /// <summary>
    /// Writes a message's file (row <paramref name="rowJson"/>, UTF-8 JSON, with id <paramref name="localId"/>, its
    /// content inline) and its entry in one script: its sequence number, -1 when the name is taken, -2 when the queue is gone.
    /// </summary>
    /// <remarks>Note that this and the claim and the settle run their script once (<see cref="RedisScripts.RunAsync"/>): the caller runs it again by its text when the server forgot it.</remarks>
    public Task<RedisResult> PushAsync(string localId, string name, RedisValue rowJson, byte[] content, long now, bool byText) =>
        RedisScripts.RunAsync(db, RedisQueueScripts.Push, PushKeys, [_index, _local, localId, name, rowJson, content.Length, content, now, Member], byText);

    public async Task<long> EnqueueAsync(string obj, long enqueued) =>
        (long)await RedisScripts.EvaluateAsync(db, RedisQueueScripts.Enqueue, [Stream, Seq, Objects, Registry, _index + "o:" + LocalId(obj)], [LocalId(obj), enqueued, Member]);

    public Task RegisterAsync() => RedisScripts.EvaluateAsync(db, RedisQueueScripts.Register, [Registry], [Member]);

    /// <summary>The number a message pushed by script holds in its row (read before the tree deletes or moves it), or null.</summary>
    public async Task<long?> NumberInRowAsync(string obj) =>
        await db.HashGetAsync(_index + "o:" + LocalId(obj), "mq") is { IsNull: false } n ? (long)n : null;

    /// <summary>Removes the entry of a file that left the queue: <paramref name="n"/> from <see cref="NumberInRowAsync"/>, else found in <c>o</c>.</summary>
    public Task RemoveAsync(string obj, long? n) => RedisScripts.EvaluateAsync(db, RedisQueueScripts.Remove, [Stream, Objects, Receipts, Deadlines],
        [LocalId(obj), n is { } x ? x.ToString(CultureInfo.InvariantCulture) : ""]);

    public async Task DeleteAsync()
    {
        await db.KeyDeleteAsync([Stream, Seq, Objects, Receipts, Deadlines]);
        await db.SetRemoveAsync(Registry, Member);
    }

    /// <summary>Claims the first timed-out or new entry for <paramref name="visibilityMs"/>: read it with <see cref="Claimed"/>.</summary>
    public Task<RedisResult> ClaimAsync(long visibilityMs, string secret, bool byText) =>
        RedisScripts.RunAsync(db, RedisQueueScripts.Claim, MessageKeys, [_index, visibilityMs, secret, _local], byText);

    /// <summary>The entry a claim took (made at <paramref name="now"/>, held <paramref name="visibilityMs"/>), or null when none.</summary>
    public QueueStore.Row? Claimed(RedisResult r, long now, long visibilityMs)
    {
        if (r.IsNull)
        {
            return null;
        }

        var f = (RedisResult[])r!;
        return new QueueStore.Row((long)f[0], PublicId(f[2].ToString()), f[4].ToString(), (int)f[1], (long)f[3], now + visibilityMs);
    }

    /// <summary>
    /// Settles a receipt: an ack deletes the message's file and entry, a nack makes the entry claimable after
    /// <paramref name="delayMs"/>. 1 (done), 0 (an ack whose file had left the queue) or -1 (stale).
    /// </summary>
    public Task<RedisResult> SettleAsync(long n, string secret, bool nack, long delayMs, bool byText) =>
        RedisScripts.RunAsync(db, RedisQueueScripts.Settle, MessageKeys,
            [_index, n, secret, nack ? "nack" : "ack", Math.Max(0, delayMs), _local], byText);

    /// <summary>The sequence number and enqueue time of a file's entry, or null when it has none (never queued, or acked already).</summary>
    public async Task<(long Seq, long Enqueued)?> EntryOfAsync(string obj)
    {
        var r = await RedisScripts.EvaluateAsync(db, RedisQueueScripts.Entry, [Objects, Stream, _index + "o:" + LocalId(obj)], [LocalId(obj)]);
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
        var entries = (RedisResult[])(await RedisScripts.EvaluateAsync(db, RedisQueueScripts.List, [Stream, Deadlines, Receipts],
            [_index, after <= 0 ? "-" : "(" + Id(after), limit, _local]))!;
        if (entries.Length == 0)
        {
            return [];
        }

        var rows = new List<QueueStore.Row>(entries.Length);
        foreach (var item in entries)
        {
            var e = (RedisResult[])item!;
            var (id, name, enq, due) = (e[0].ToString(), e[3].ToString(), Parse(e[2].ToString()), e[4].ToString());
            if (name.Length > 0)
            {
                var visible = due.Length > 0 && Parse(due) > now ? Parse(due) : enq;
                rows.Add(new QueueStore.Row(Number(id), PublicId(e[1].ToString()), name, (int)e[5], enq, visible));
            }
        }

        return rows;
    }

    /// <summary>Depth, messages held by a claim that has not timed out, and the oldest enqueue time.</summary>
    public async Task<(long Depth, long InFlight, long? Oldest)> StatsAsync()
    {
        var r = (RedisResult[])(await RedisScripts.EvaluateAsync(db, RedisQueueScripts.Stats, [Stream, Receipts]))!;
        var oldest = r[2].ToString();
        return ((long)r[0], (long)r[1], oldest.Length == 0 ? null : Parse(oldest));
    }

    private static long Parse(string n) => long.Parse(n, CultureInfo.InvariantCulture);

    private static string Id(long n) => n.ToString(CultureInfo.InvariantCulture) + "-1";

    private static long Number(string id) => long.Parse(id.AsSpan(0, id.IndexOf('-', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
}
