using System.Globalization;
using System.Security.Cryptography;

namespace Grove.Queues.Internal;

/// <summary>
/// The messages of queues in the tree's SQL store (<see cref="QueueStore"/>): claims, acks, nacks and dead-lettering.
/// Owns the claims this node made and has not settled yet (<see cref="ClaimMemo"/>); batched acks go through
/// <see cref="SqlAckBatch"/>, which shares them.
/// </summary>
internal sealed class SqlQueue
{
    private readonly TreeService _tree;
    private readonly QueueOptions _options;
    private readonly QueueStore _store;
    private readonly RedisQueues _redis;
    private readonly ClaimMemo _claims = new();
    private readonly SqlAckBatch _batch;

    public SqlQueue(TreeService tree, QueueOptions options, QueueStore store, RedisQueues redis)
    {
        _tree = tree;
        _options = options;
        _store = store;
        _redis = redis;
        _batch = new SqlAckBatch(tree, store, _claims);
    }

    private long Now => _tree.Options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Claims up to <paramref name="max"/> visible messages, dropping rows whose file left and dead-lettering worn ones.</summary>
    public async Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(TreeObject queue, int max, long holdMs, CancellationToken ct)
    {
        // Note that where rows change in the files' own transactions no row outlives its file: nothing to check.
        var check = !await _redis.InStepAsync(queue, ct);
        var got = new List<ClaimedMessage>();
        while (got.Count < max)
        {
            var now = Now;
            var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var rows = await _store.ClaimAsync(queue.Id, now, now + holdMs, Receipts.Prefix + secret, max - got.Count, ct);
            if (rows.Count == 0)
            {
                break;
            }

            var skipped = false;
            foreach (var row in rows)
            {
                if (check && (await _tree.FindAsync(queue.Path + "/" + row.Name, ct) is not { } file || file.Id != row.Obj))
                {
                    await _store.DropAsync(row.Seq, ct);
                    skipped = true;
                    continue;
                }

                if (row.Deliveries > _options.MaxDeliveries)
                {
                    await DeadLetterAsync(queue.Path!, row, ct);
                    skipped = true;
                    continue;
                }

                _claims.Remember(queue.Id, row, Receipts.Prefix + secret);

                got.Add(new ClaimedMessage(row.ToMessage(queue.Path!), row.Seq.ToString(CultureInfo.InvariantCulture) + "." + secret));
            }

            // Note that the table gave every visible message it had unless some were dropped: ask again only then.
            if (!skipped)
            {
                break;
            }
        }

        return got;
    }

    /// <summary>Moves a message worn out by its deliveries into the queue's dead-letter directory (Redis queues too).</summary>
    public async Task DeadLetterAsync(string queuePath, QueueStore.Row row, CancellationToken ct)
    {
        try
        {
            // Note that the move takes the row out of the queue in its own transaction (the commit hook).
            await _tree.MoveAsync(queuePath + "/" + row.Name, queuePath + "/" + _options.DeadLetterName + "/" + row.Name, ct: ct);
        }
        catch (TreeException e) when (e.Code is TreeErrorCode.NotFound or TreeErrorCode.AlreadyExists)
        {
            await _tree.DeleteAsync(queuePath + "/" + row.Name, ct: ct).ConfigureAwait(false);
        }
    }

    /// <summary>Acknowledges a claimed message: its file and its row go in one transaction.</summary>
    public async Task AckAsync(TreeObject queue, string receipt, CancellationToken ct)
    {
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
                foreach (var statement in QueueStore.DeleteHeld([(seq, Receipts.Stored(receipt))], Now, () => new QueueException(QueueErrorCode.ReceiptStale, $"receipt {receipt} expired while it was acked")))
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

    /// <summary>Acks the held receipts of <paramref name="queue"/> in one commit; see <see cref="SqlAckBatch"/>.</summary>
    public Task<QueueAckResult> AckManyAsync(TreeObject queue, IReadOnlyList<(string Receipt, long Seq)> parsed,
        Func<IEnumerable<string>, Task<QueueAckResult>> ackEach, CancellationToken ct) =>
        _batch.AckAsync(queue, parsed, ackEach, ct);

    /// <summary>Gives a claimed message back: visible again after <paramref name="delayMs"/>.</summary>
    public async Task NackAsync(TreeObject queue, string receipt, long delayMs, CancellationToken ct)
    {
        var (_, seq) = await HeldAsync(queue, receipt, ct);
        var now = Now;
        _claims.Forget(seq);

        if (!await _store.ReleaseAsync(seq, Receipts.Stored(receipt), now, now + delayMs, ct))
        {
            throw new QueueException(QueueErrorCode.ReceiptStale, $"receipt {receipt} expired or was used");
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

    private async Task<(QueueStore.Row Row, long Seq)> HeldAsync(TreeObject queue, string receipt, CancellationToken ct)
    {
        var seq = Receipts.Parse(receipt);

        // Note that a claim made on this node is known without a read; the statement that settles it checks the receipt again.
        var found = _claims.Find(seq, Receipts.Stored(receipt)) ?? await _store.GetAsync(seq, ct)
            ?? throw new QueueException(QueueErrorCode.ReceiptStale, $"no message holds receipt {receipt}: acked already, or gone");
        if (found.Queue != queue.Id)
        {
            throw new QueueException(QueueErrorCode.ReceiptInvalid, $"receipt {receipt} belongs to another queue, not {queue.Path}");
        }

        if (found.Receipt != Receipts.Stored(receipt) || found.Row.VisibleAt <= Now)
        {
            throw new QueueException(QueueErrorCode.ReceiptStale, $"receipt {receipt} expired: the message may be delivered again");
        }

        return (found.Row, seq);
    }
}
