using System.Diagnostics.CodeAnalysis;
using Grove.Queues.Internal;

namespace Grove.Queues;

/// <summary>
/// Queue mounts (<c>mq(Key)</c>): a directory that is a durable FIFO queue. A file created in it is a message
/// (enqueued in the same transaction as the file on SQLite and PostgreSQL); consumers claim the first visible message
/// with a visibility time-out and a receipt, then ack it (the file is deleted) or nack it (visible again). A message
/// not acked in time is delivered again; after <see cref="QueueOptions.MaxDeliveries"/> deliveries it moves to the
/// queue's dead-letter directory. Open one per tree; every method is thread-safe.
/// </summary>
public sealed class QueueService : IAsyncDisposable
{
    private readonly TreeService _tree;
    private readonly QueueHook _hook;
    private readonly RedisQueues _redis;
    private readonly RedisMessages _redisMessages;
    private readonly SqlQueue _sql;
    private readonly QueuePush _push;
    private readonly QueueViews _views;
    private readonly IDisposable _registration;
    private readonly Func<string, QueueStore.Row, CancellationToken, Task> _deadLetter;

    private QueueService(TreeService tree, QueueOptions options)
    {
        _tree = tree;
        Options = options;
        var store = new QueueStore(tree.Engines);
        _redis = new RedisQueues(tree);
        _redisMessages = new RedisMessages(tree, options);
        _sql = new SqlQueue(tree, options, store, _redis);
        _push = new QueuePush(tree, store, _redis, _redisMessages);
        _views = new QueueViews(tree, store, _redis);
        _hook = new QueueHook(tree, _redis);
        _deadLetter = _sql.DeadLetterAsync;
        _registration = tree.AddCommitHook(_hook);
    }

    /// <summary>The most messages one claim or one ack may take.</summary>
    public const int MaxBatch = 1000;

    /// <summary>The options in force.</summary>
    public QueueOptions Options { get; }

    /// <summary>Creates the message table if needed and starts keeping it in step with the tree.</summary>
    public static async Task<QueueService> OpenAsync(TreeService tree, QueueOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        await QueueStore.MigrateAsync(tree.Engines, ct);
        return new QueueService(tree, options ?? new QueueOptions());
    }

    /// <summary>The queue directory at <paramref name="path"/>; <c>not_a_queue</c> unless it is an <c>mq</c> mount.</summary>
    public async Task<TreeObject> RequireQueueAsync(string path, CancellationToken ct = default) => await RequireQueue(path, ct);

    // Note that every message operation asks this first: a queue directory the object cache holds is answered without a task.
    private ValueTask<TreeObject> RequireQueue(string path, CancellationToken ct)
    {
        var normalized = TreeNames.Normalize(path);
        var found = _hook.QueueOfAsync(normalized, ct);
        return found.IsCompletedSuccessfully ? new(found.Result ?? throw NotAQueue(normalized)) : new(RequireFoundAsync(found, normalized));

        static async Task<TreeObject> RequireFoundAsync(ValueTask<TreeObject?> found, string path) => await found ?? throw NotAQueue(path);
    }

    private static QueueException NotAQueue(string path) =>
        new(QueueErrorCode.NotAQueue, $"{path} is not a queue (mount one with: grove mount PATH mq)");

    /// <summary>
    /// Enqueues <paramref name="content"/> as a new file of the queue (named by time when no name is given). The
    /// message's sequence number comes from the commit that enqueued it, so a consumer that claims and acks it before
    /// this returns changes nothing here.
    /// </summary>
    public Task<QueueMessage> PushAsync(string queuePath, Stream content, string? name = null, string? user = null, CancellationToken ct = default) =>
        TryKnownOnRedis(queuePath, out var queue, out _) ? _push.PushAsync(queue, content, name, user, ct) : PushToAsync(queuePath, content, name, user, ct);

    private async Task<QueueMessage> PushToAsync(string queuePath, Stream content, string? name, string? user, CancellationToken ct) =>
        await _push.PushAsync(await RequireQueue(queuePath, ct), content, name, user, ct);

    /// <summary>
    /// A queue on Redis that this node has found already and whose directory the object cache holds: a message
    /// operation on it goes straight to its script, with no task of <see cref="QueueService"/>'s own (the one it calls
    /// checks its arguments inside its task, so errors still come as a faulted task).
    /// </summary>
    private bool TryKnownOnRedis(string queuePath, [NotNullWhen(true)] out TreeObject? queue, [NotNullWhen(true)] out RedisQueue? redis)
    {
        redis = null;
        return _hook.TryCachedQueue(queuePath, out queue) && _redis.TryKnown(queue.Id, out redis);
    }

    /// <summary>
    /// Claims the first visible message, invisible to others for <paramref name="visibility"/> (default
    /// <see cref="QueueOptions.Visibility"/>); null when none is visible. Messages whose file left the queue are dropped;
    /// messages delivered <see cref="QueueOptions.MaxDeliveries"/> times move to the dead-letter directory instead.
    /// </summary>
    public Task<ClaimedMessage?> ClaimAsync(string queuePath, TimeSpan? visibility = null, CancellationToken ct = default) =>
        TryHoldMs(visibility, out var holdMs) && TryKnownOnRedis(queuePath, out var queue, out var redis)
            ? _redisMessages.ClaimOneAsync(queue, redis, holdMs, _deadLetter, ct)
            : ClaimFromAsync(queuePath, visibility, ct);

    private async Task<ClaimedMessage?> ClaimFromAsync(string queuePath, TimeSpan? visibility, CancellationToken ct)
    {
        var queue = await RequireQueue(queuePath, ct);
        var holdMs = HoldMs(visibility);
        return await _redis.OfAsync(queue, ct) is { } redis
            ? await _redisMessages.ClaimOneAsync(queue, redis, holdMs, _deadLetter, ct)
            : (await _sql.ClaimAsync(queue, 1, holdMs, ct)).FirstOrDefault();
    }

    /// <summary>
    /// Claims up to <paramref name="max"/> visible messages at once, oldest first, each with its own receipt (one
    /// statement on SQLite and PostgreSQL); empty when none is visible. Otherwise as <see cref="ClaimAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedMessage>> ClaimManyAsync(string queuePath, int max, TimeSpan? visibility = null, CancellationToken ct = default)
    {
        if (max is < 1 or > MaxBatch)
        {
            throw new QueueException(QueueErrorCode.InvalidArgument, $"a claim takes 1 to {MaxBatch} messages, not {max}");
        }

        var queue = await RequireQueue(queuePath, ct);
        var holdMs = HoldMs(visibility);
        return await _redis.OfAsync(queue, ct) is { } redis
            ? await _redisMessages.ClaimAsync(queue, redis, max, holdMs, _deadLetter, ct)
            : await _sql.ClaimAsync(queue, max, holdMs, ct);
    }

    /// <summary>A claim's visibility time-out in milliseconds; <c>receipt_invalid</c> when out of range.</summary>
    private long HoldMs(TimeSpan? visibility) => TryHoldMs(visibility, out var ms) ? ms
        : throw new QueueException(QueueErrorCode.ReceiptInvalid, $"a visibility time-out is more than 0 and at most {Options.MaxVisibility}");

    private bool TryHoldMs(TimeSpan? visibility, out long ms)
    {
        var hold = visibility ?? Options.Visibility;
        ms = (long)hold.TotalMilliseconds;
        return hold > TimeSpan.Zero && hold <= Options.MaxVisibility;
    }

    /// <summary>Acknowledges a claimed message: its file and its row go in one transaction.</summary>
    /// <exception cref="QueueException"><c>receipt_invalid</c> (malformed, or another queue's), <c>receipt_stale</c> (timed out, claimed again, or acked).</exception>
    public Task AckAsync(string queuePath, string receipt, CancellationToken ct = default) =>
        TryKnownOnRedis(queuePath, out var queue, out var redis)
            ? _redisMessages.SettleAsync(queue, redis, receipt, nack: false, 0)
            : AckOnAsync(queuePath, receipt, ct);

    private async Task AckOnAsync(string queuePath, string receipt, CancellationToken ct)
    {
        var queue = await RequireQueue(queuePath, ct);
        if (await _redis.OfAsync(queue, ct) is { } redis)
        {
            await _redisMessages.SettleAsync(queue, redis, receipt, nack: false, 0);
            return;
        }

        await _sql.AckAsync(queue, receipt, ct);
    }

    /// <summary>
    /// Acknowledges several claimed messages of one queue. A malformed or another queue's receipt refuses the whole
    /// call (<c>receipt_invalid</c>, nothing acked); stale receipts are returned, the others acked — on SQLite and
    /// PostgreSQL in one transaction.
    /// </summary>
    public async Task<QueueAckResult> AckManyAsync(string queuePath, IReadOnlyList<string> receipts, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(receipts);
        if (receipts.Count is < 1 or > MaxBatch)
        {
            throw new QueueException(QueueErrorCode.InvalidArgument, $"an ack takes 1 to {MaxBatch} receipts, not {receipts.Count}");
        }

        var queue = await RequireQueue(queuePath, ct);
        var parsed = receipts.Distinct(StringComparer.Ordinal).Select(r => (Receipt: r, Seq: Receipts.Parse(r))).ToList();

        // Note that each receipt acked on its own goes through AckAsync, which finds its queue again.
        Task<QueueAckResult> AckEachAsync(IEnumerable<string> each) => Receipts.AckEachAsync(each, r => AckAsync(queue.Path!, r, ct));
        var redis = await _redis.OfAsync(queue, ct);
        if (redis is not null || !_tree.SharesEngineTransactions)
        {
            if (redis is not null)
            {
                parsed.ForEach(p => RedisMessages.CheckOwn(queue, redis, p.Receipt));
            }

            return await AckEachAsync(parsed.Select(p => p.Receipt));
        }

        return await _sql.AckManyAsync(queue, parsed, AckEachAsync, ct);
    }

    /// <summary>Gives a claimed message back: visible again after <paramref name="delay"/> (at once by default).</summary>
    public async Task NackAsync(string queuePath, string receipt, TimeSpan? delay = null, CancellationToken ct = default)
    {
        var wait = delay ?? TimeSpan.Zero;
        if (wait < TimeSpan.Zero || wait > Options.MaxVisibility)
        {
            throw new QueueException(QueueErrorCode.ReceiptInvalid, $"a nack delay is 0 to {Options.MaxVisibility}");
        }

        var queue = await RequireQueue(queuePath, ct);
        if (await _redis.OfAsync(queue, ct) is { } redis)
        {
            await _redisMessages.SettleAsync(queue, redis, receipt, nack: true, (long)wait.TotalMilliseconds);
            return;
        }

        await _sql.NackAsync(queue, receipt, (long)wait.TotalMilliseconds, ct);
    }

    /// <summary>A queue's messages in FIFO order (claimed ones included), after sequence <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<QueueMessage>> ListAsync(string queuePath, long after = 0, int limit = 1000, CancellationToken ct = default) =>
        await _views.ListAsync(await RequireQueue(queuePath, ct), after, limit, ct);

    /// <summary>One queue's depth and oldest message.</summary>
    public async Task<QueueStats> StatsAsync(string queuePath, CancellationToken ct = default) =>
        await _views.StatsAsync(await RequireQueue(queuePath, ct), ct);

    /// <summary>
    /// Every queue with its depth and oldest message, empty ones included: the <c>mq</c> mounts of the root index, and
    /// the queues inside <c>redis</c> mounts that were ever used.
    /// </summary>
    public Task<IReadOnlyList<QueueStats>> AllStatsAsync(CancellationToken ct = default) => _views.AllStatsAsync(ct);

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _registration.Dispose();
        return ValueTask.CompletedTask;
    }
}
