using System.Globalization;
using System.Security.Cryptography;
using Grove.Queues.Internal;

namespace Grove.Queues;

public sealed partial class QueueService
{
    /// <summary>The most messages one claim or one ack may take.</summary>
    public const int MaxBatch = 1000;

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

        var queue = await RequireQueueAsync(queuePath, ct);
        var hold = visibility ?? Options.Visibility;
        if (hold <= TimeSpan.Zero || hold > Options.MaxVisibility)
        {
            throw new QueueException(QueueErrorCode.ReceiptInvalid, $"a visibility time-out is more than 0 and at most {Options.MaxVisibility}");
        }

        var holdMs = (long)hold.TotalMilliseconds;
        if (await _redis.OfAsync(queue, ct) is { } redis)
        {
            return await _redisMessages.ClaimAsync(queue, redis, max, holdMs, DeadLetterAsync, ct);
        }

        // Note that where rows change in the files' own transactions no row outlives its file: nothing to check.
        var check = !await _redis.InStepAsync(queue, ct);
        var got = new List<ClaimedMessage>();
        while (got.Count < max)
        {
            var now = Now;
            var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var rows = await _store.ClaimAsync(queue.Id, now, now + holdMs, ReceiptPrefix + secret, max - got.Count, ct);
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

                if (row.Deliveries > Options.MaxDeliveries)
                {
                    await DeadLetterAsync(queue.Path!, row, ct);
                    skipped = true;
                    continue;
                }

                _claims.Remember(queue.Id, row, ReceiptPrefix + secret);

                got.Add(new ClaimedMessage(ToMessage(queue.Path!, row), row.Seq.ToString(CultureInfo.InvariantCulture) + "." + secret));
            }

            // Note that the table gave every visible message it had unless some were dropped: ask again only then.
            if (!skipped)
            {
                break;
            }
        }

        return got;
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

        var queue = await RequireQueueAsync(queuePath, ct);
        var parsed = receipts.Distinct(StringComparer.Ordinal).Select(r => (Receipt: r, Seq: ParseReceipt(r))).ToList();
        var redis = await _redis.OfAsync(queue, ct);
        if (redis is not null || !_tree.SharesEngineTransactions)
        {
            if (redis is not null)
            {
                parsed.ForEach(p => RedisMessages.CheckOwn(queue, redis, p.Receipt));
            }

            return await AckEachAsync(queue.Path!, parsed.Select(p => p.Receipt), ct);
        }

        return await AckInOneCommitAsync(queue, parsed, ct);
    }

    /// <summary>Acks one receipt at a time; the stale ones are returned.</summary>
    internal async Task<QueueAckResult> AckEachAsync(string queuePath, IEnumerable<string> receipts, CancellationToken ct)
    {
        var stale = new List<string>();
        var acked = 0;
        foreach (var r in receipts)
        {
            try
            {
                await AckAsync(queuePath, r, ct);
                acked++;
            }
            catch (QueueException e) when (e.Code == QueueErrorCode.ReceiptStale)
            {
                stale.Add(r);
            }
        }

        return new QueueAckResult(acked, stale);
    }

    /// <summary>The sequence number a receipt starts with; <c>receipt_invalid</c> when it is malformed.</summary>
    internal static long ParseReceipt(string? receipt)
    {
        var dot = receipt?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (receipt is null || dot <= 0 || receipt.Length > 80 || !long.TryParse(receipt.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            throw new QueueException(QueueErrorCode.ReceiptInvalid, "a receipt is what a claim returned (sequence.secret)");
        }

        return seq;
    }
}
