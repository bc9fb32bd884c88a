namespace Grove.Queues.Internal;

/// <summary>
/// Acks the held receipts of a queue in the tree's SQL store: the files and their rows go in one commit. When a
/// receipt expires between the check and the commit, the commit changes nothing and each is acked on its own.
/// </summary>
internal sealed class SqlAckBatch(TreeService tree, QueueStore store, ClaimMemo claims)
{
    private long Now => tree.Options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Acks <paramref name="parsed"/> in one commit; when that commit changes nothing, the held ones go through
    /// <paramref name="ackEach"/> (one ack each) instead.
    /// </summary>
    public async Task<QueueAckResult> AckAsync(TreeObject queue, IReadOnlyList<(string Receipt, long Seq)> parsed,
        Func<IEnumerable<string>, Task<QueueAckResult>> ackEach, CancellationToken ct)
    {
        var known = new Dictionary<long, (QueueStore.Row Row, string Queue, string? Receipt)>();
        var unknown = new List<long>();
        foreach (var (receipt, seq) in parsed)
        {
            if (claims.Find(seq, Receipts.Stored(receipt)) is { } memo)
            {
                known[seq] = memo;
            }
            else
            {
                unknown.Add(seq);
            }
        }

        if (unknown.Count > 0)
        {
            foreach (var found in await store.GetManyAsync(unknown, ct))
            {
                known[found.Row.Seq] = found;
            }
        }

        if (parsed.FirstOrDefault(p => known.TryGetValue(p.Seq, out var k) && k.Queue != queue.Id) is { Receipt: { } foreign })
        {
            throw new QueueException(QueueErrorCode.ReceiptInvalid, $"receipt {foreign} belongs to another queue, not {queue.Path}");
        }

        var now = Now;
        var stale = new List<string>();
        var batch = new TreeBatch();
        var held = new List<(long Seq, string Stored)>();
        var files = new List<string>();
        foreach (var (receipt, seq) in parsed)
        {
            claims.Forget(seq);
            if (!known.TryGetValue(seq, out var k) || k.Receipt != Receipts.Stored(receipt) || k.Row.VisibleAt <= now)
            {
                stale.Add(receipt);
                continue;
            }

            // Note that a file that left the queue refuses the batch: each receipt is then settled on its own.
            batch.DeleteObject(queue.Path + "/" + k.Row.Name, k.Row.Obj);
            held.Add((seq, Receipts.Stored(receipt)));
            files.Add(k.Row.Obj);
        }

        if (held.Count == 0)
        {
            return new QueueAckResult(0, stale);
        }

        try
        {
            AckSlot.Current.Value = files;
            foreach (var statement in QueueStore.DeleteHeld(held, now, () => new QueueException(QueueErrorCode.ReceiptStale, "a receipt expired while it was acked")))
            {
                batch.WithStatement(statement);
            }

            await tree.CommitAsync(batch, ct);
            return new QueueAckResult(held.Count, stale);
        }
        catch (TreeException e) when (e.InnerException is QueueException || e.Code is TreeErrorCode.Conflict or TreeErrorCode.NotFound)
        {
            AckSlot.Current.Value = null;
            return await EachAsync();
        }
        catch (QueueException e) when (e.Code == QueueErrorCode.ReceiptStale)
        {
            AckSlot.Current.Value = null;
            return await EachAsync();
        }
        finally
        {
            AckSlot.Current.Value = null;
        }

        // Note that the commit changed nothing: settle each held receipt on its own.
        async Task<QueueAckResult> EachAsync()
        {
            var each = await ackEach(parsed.Where(p => !stale.Contains(p.Receipt)).Select(p => p.Receipt));
            return new QueueAckResult(each.Acked, [.. stale, .. each.Stale]);
        }
    }
}
