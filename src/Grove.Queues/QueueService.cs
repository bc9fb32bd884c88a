using System.Globalization;
using System.Security.Cryptography;
using Grove.Queues.Internal;

namespace Grove.Queues;

/// <summary>
/// Queue mounts (<c>mq(Key)</c>): a directory that is a durable FIFO queue. A file created in it is a message
/// (enqueued in the same transaction as the file on SQLite and PostgreSQL); consumers claim the first visible message
/// with a visibility time-out and a receipt, then ack it (the file is deleted) or nack it (visible again). A message
/// not acked in time is delivered again; after <see cref="QueueOptions.MaxDeliveries"/> deliveries it moves to the
/// queue's dead-letter directory. Open one per tree; every method is thread-safe.
/// </summary>
public sealed partial class QueueService : IAsyncDisposable
{
    private readonly TreeService _tree;
    private readonly QueueStore _store;
    private readonly QueueHook _hook;
    private readonly RedisQueues _redis;
    private readonly RedisMessages _redisMessages;
    private readonly IDisposable _registration;
    private readonly ClaimMemo _claims = new();

    private QueueService(TreeService tree, QueueOptions options)
    {
        _tree = tree;
        Options = options;
        _store = new QueueStore(tree.Engines);
        _redis = new RedisQueues(tree);
        _redisMessages = new RedisMessages(tree, options);
        _hook = new QueueHook(tree, _redis);
        _registration = tree.AddCommitHook(_hook);
    }

    /// <summary>The options in force.</summary>
    public QueueOptions Options { get; }

    private long Now => _tree.Options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Creates the message table if needed and starts keeping it in step with the tree.</summary>
    public static async Task<QueueService> OpenAsync(TreeService tree, QueueOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        await QueueStore.MigrateAsync(tree.Engines, ct);
        return new QueueService(tree, options ?? new QueueOptions());
    }

    /// <summary>The queue directory at <paramref name="path"/>; <c>not_a_queue</c> unless it is an <c>mq</c> mount.</summary>
    public async Task<TreeObject> RequireQueueAsync(string path, CancellationToken ct = default) =>
        await _hook.QueueOfAsync(TreeNames.Normalize(path), ct)
            ?? throw new QueueException(QueueErrorCode.NotAQueue, $"{TreeNames.Normalize(path)} is not a queue (mount one with: grove mount PATH mq)");

    /// <summary>
    /// Enqueues <paramref name="content"/> as a new file of the queue (named by time when no name is given). The
    /// message's sequence number comes from the commit that enqueued it, so a consumer that claims and acks it before
    /// this returns changes nothing here.
    /// </summary>
    public async Task<QueueMessage> PushAsync(string queuePath, Stream content, string? name = null, string? user = null, CancellationToken ct = default)
    {
        var queue = await RequireQueueAsync(queuePath, ct);
        name ??= Now.ToString("D13", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        TreeNames.ValidateName(name);
        var redis = await _redis.OfAsync(queue, ct);
        if (redis is { Storage: not null })
        {
            var max = _redisMessages.MaxBytes;
            var head = await RedisMessages.ReadHeadAsync(content, max + 1, ct);
            if (head.Length <= max && await _redisMessages.PushAsync(queue, redis, name, head, user) is { } pushed)
            {
                return pushed;
            }

            // Note that the name is taken (the write overwrites it) or the content is over the storage's cap (the write refuses it).
            content = head.Length <= max ? new MemoryStream(head, writable: false) : new PrefixedStream(head, content);
        }

        var slot = new PushSlot(queue.Id, name);
        PushSlot.Current.Value = slot;
        TreeObject file;
        try
        {
            file = await WriteMessageAsync(queue, queue.Path + "/" + name, content, user, ct);
        }
        finally
        {
            PushSlot.Current.Value = null;
        }

        if (slot.Seq > 0)
        {
            return new QueueMessage(slot.Seq, file.Id, file.Path!, 0, slot.Enqueued, slot.Enqueued);
        }

        // Note that the file existed already (a push onto a message's name overwrites its content, it enqueues nothing):
        // the message is the queued file's, if it is still queued.
        var row = redis is null ? await _store.ByObjectAsync(file.Id, ct)
            : await redis.EntryOfAsync(file.Id) is { } e ? new QueueStore.Row(e.Seq, file.Id, name, 0, e.Enqueued, e.Enqueued) : null;
        return row is not null ? ToMessage(queue.Path!, row) : new QueueMessage(0, file.Id, file.Path!, 1, file.Modified, file.Modified);
    }

    /// <summary>
    /// Claims the first visible message, invisible to others for <paramref name="visibility"/> (default
    /// <see cref="QueueOptions.Visibility"/>); null when none is visible. Messages whose file left the queue are dropped;
    /// messages delivered <see cref="QueueOptions.MaxDeliveries"/> times move to the dead-letter directory instead.
    /// </summary>
    public async Task<ClaimedMessage?> ClaimAsync(string queuePath, TimeSpan? visibility = null, CancellationToken ct = default) =>
        (await ClaimManyAsync(queuePath, 1, visibility, ct)).FirstOrDefault();

    private const string ReceiptPrefix = "r.";

    private async Task DeadLetterAsync(string queuePath, QueueStore.Row row, CancellationToken ct)
    {
        try
        {
            // Note that the move takes the row out of the queue in its own transaction (the commit hook).
            await _tree.MoveAsync(queuePath + "/" + row.Name, queuePath + "/" + Options.DeadLetterName + "/" + row.Name, ct: ct);
        }
        catch (TreeException e) when (e.Code is TreeErrorCode.NotFound or TreeErrorCode.AlreadyExists)
        {
            await _tree.DeleteAsync(queuePath + "/" + row.Name, ct: ct).ConfigureAwait(false);
        }
    }

    /// <summary>Acknowledges a claimed message: its file and its row go in one transaction.</summary>
    /// <exception cref="QueueException"><c>receipt_invalid</c> (malformed, or another queue's), <c>receipt_stale</c> (timed out, claimed again, or acked).</exception>
    public async Task AckAsync(string queuePath, string receipt, CancellationToken ct = default)
    {
        var queue = await RequireQueueAsync(queuePath, ct);
        if (await _redis.OfAsync(queue, ct) is { } redis)
        {
            await _redisMessages.SettleAsync(queue, redis, receipt, nack: false, 0);
            return;
        }

        var (row, seq) = await HeldAsync(queue, receipt, ct);
        var path = queue.Path + "/" + row.Name;
        _claims.Forget(seq);
        if (!_tree.SharesEngineTransactions)
        {
            await RequireMessageFileAsync(queue, path, row, seq, receipt, ct);
            await _tree.DeleteAsync(path, ct: ct);
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Note that the ack's own statement takes the row out (checking the receipt), so the commit hook leaves it.
                AckSlot.Current.Value = [row.Obj];
                // Note that the file's delete (if it is still the message's file: no read of it first, it is never
                // cached) and the receipt-checked row delete go with the commit in one batch (PostgreSQL): a receipt that
                // expired meanwhile refuses the whole batch inside the database, and nothing changes.
                var batch = new TreeBatch().DeleteObject(path, row.Obj);
                foreach (var statement in QueueStore.DeleteHeld([(seq, Stored(receipt))], Now, () => new QueueException(QueueErrorCode.ReceiptStale, $"receipt {receipt} expired while it was acked")))
                {
                    batch.WithStatement(statement);
                }

                await _tree.CommitAsync(batch, ct);
                return;
            }
            catch (TreeException e) when (e.InnerException is QueueException q)
            {
                throw q;
            }
            catch (TreeException e) when (e.Code is TreeErrorCode.NotFound or TreeErrorCode.Conflict && attempt < 3)
            {
                // The file left the queue, another took its name, or it changed while the batch read it: which one?
                await RequireMessageFileAsync(queue, path, row, seq, receipt, ct);
            }
            finally
            {
                AckSlot.Current.Value = null;
            }
        }
    }

    /// <summary>Refuses the receipt (and drops its row) when the message's file is no longer in the queue.</summary>
    private async Task RequireMessageFileAsync(TreeObject queue, string path, QueueStore.Row row, long seq, string receipt, CancellationToken ct)
    {
        if (await _tree.FindAsync(path, ct) is not { } file || file.Id != row.Obj)
        {
            await _store.DropAsync(seq, ct);
            throw new QueueException(QueueErrorCode.ReceiptStale, $"the message of receipt {receipt} left {queue.Path}");
        }
    }

    /// <summary>Gives a claimed message back: visible again after <paramref name="delay"/> (at once by default).</summary>
    public async Task NackAsync(string queuePath, string receipt, TimeSpan? delay = null, CancellationToken ct = default)
    {
        var wait = delay ?? TimeSpan.Zero;
        if (wait < TimeSpan.Zero || wait > Options.MaxVisibility)
        {
            throw new QueueException(QueueErrorCode.ReceiptInvalid, $"a nack delay is 0 to {Options.MaxVisibility}");
        }

        var queue = await RequireQueueAsync(queuePath, ct);
        if (await _redis.OfAsync(queue, ct) is { } redis)
        {
            await _redisMessages.SettleAsync(queue, redis, receipt, nack: true, (long)wait.TotalMilliseconds);
            return;
        }

        var (_, seq) = await HeldAsync(queue, receipt, ct);
        var now = Now;
        _claims.Forget(seq);

        if (!await _store.ReleaseAsync(seq, Stored(receipt), now, now + (long)wait.TotalMilliseconds, ct))
        {
            throw new QueueException(QueueErrorCode.ReceiptStale, $"receipt {receipt} expired or was used");
        }
    }

    /// <summary>A queue's messages in FIFO order (claimed ones included), after sequence <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<QueueMessage>> ListAsync(string queuePath, long after = 0, int limit = 1000, CancellationToken ct = default)
    {
        var queue = await RequireQueueAsync(queuePath, ct);
        var rows = await _redis.OfAsync(queue, ct) is { } redis
            ? await redis.ListAsync(after, Math.Clamp(limit, 1, 10_000), Now)
            : await _store.ListAsync(queue.Id, after, Math.Clamp(limit, 1, 10_000), ct);
        return [.. rows.Select(r => ToMessage(queue.Path!, r))];
    }

    /// <summary>One queue's depth and oldest message.</summary>
    public async Task<QueueStats> StatsAsync(string queuePath, CancellationToken ct = default)
    {
        var queue = await RequireQueueAsync(queuePath, ct);
        if (await _redis.OfAsync(queue, ct) is { } redis)
        {
            var (depth, inFlight, oldest) = await redis.StatsAsync();
            return new QueueStats(queue.Path!, depth, inFlight, oldest);
        }

        var s = (await _store.StatsAsync(queue.Id, Now, ct)).FirstOrDefault();
        return new QueueStats(queue.Path!, s.Depth, s.InFlight, s.Oldest);
    }

    private async Task<(QueueStore.Row Row, long Seq)> HeldAsync(TreeObject queue, string receipt, CancellationToken ct)
    {
        var seq = ParseReceipt(receipt);

        // Note that a claim made on this node is known without a read; the statement that settles it checks the receipt again.
        var found = _claims.Find(seq, Stored(receipt)) ?? await _store.GetAsync(seq, ct)
            ?? throw new QueueException(QueueErrorCode.ReceiptStale, $"no message holds receipt {receipt}: acked already, or gone");
        if (found.Queue != queue.Id)
        {
            throw new QueueException(QueueErrorCode.ReceiptInvalid, $"receipt {receipt} belongs to another queue, not {queue.Path}");
        }

        if (found.Receipt != Stored(receipt) || found.Row.VisibleAt <= Now)
        {
            throw new QueueException(QueueErrorCode.ReceiptStale, $"receipt {receipt} expired: the message may be delivered again");
        }

        return (found.Row, seq);
    }

    /// <summary>The receipt as the row stores it (without the sequence the caller's copy starts with).</summary>
    private static string Stored(string receipt) => ReceiptPrefix + receipt[(receipt.IndexOf('.', StringComparison.Ordinal) + 1)..];

    private static QueueMessage ToMessage(string queuePath, QueueStore.Row r) =>
        new(r.Seq, r.Obj, queuePath + "/" + r.Name, r.Deliveries, r.Enqueued, r.VisibleAt);

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _registration.Dispose();
        return ValueTask.CompletedTask;
    }
}
