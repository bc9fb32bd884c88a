using System.Collections.Concurrent;

namespace Grove.Queues.Internal;

/// <summary>
/// The claims this node made and has not settled yet, so an ack or nack of one needs no read of its row first: the
/// statement that settles it checks the receipt and the time-out again, so a stale entry here only costs that check.
/// Bounded: when full it starts over (a claim not found here is read from the table).
/// </summary>
internal sealed class ClaimMemo
{
    private const int Capacity = 20_000;
    private readonly ConcurrentDictionary<long, (QueueStore.Row Row, string Queue, string Receipt)> _held = new();

    public void Remember(string queue, QueueStore.Row row, string storedReceipt)
    {
        if (_held.Count >= Capacity)
        {
            _held.Clear();
        }

        _held[row.Seq] = (row, queue, storedReceipt);
    }

    /// <summary>The claim of <paramref name="seq"/> when this node made it with <paramref name="storedReceipt"/>.</summary>
    public (QueueStore.Row Row, string Queue, string? Receipt)? Find(long seq, string storedReceipt) =>
        _held.TryGetValue(seq, out var h) && h.Receipt == storedReceipt ? (h.Row, h.Queue, h.Receipt) : null;

    public void Forget(long seq) => _held.TryRemove(seq, out _);
}
