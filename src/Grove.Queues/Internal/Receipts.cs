using System.Globalization;

namespace Grove.Queues.Internal;

/// <summary>
/// A claim's receipt: the message's sequence number, a dot and a secret. The row stores the secret with a prefix
/// (<see cref="Stored"/>), so a receipt never matches a row by its sequence alone.
/// </summary>
internal static class Receipts
{
    public const string Prefix = "r.";

    /// <summary>The sequence number a receipt starts with; <c>receipt_invalid</c> when it is malformed.</summary>
    public static long Parse(string? receipt)
    {
        var dot = receipt?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (receipt is null || dot <= 0 || receipt.Length > 80 || !long.TryParse(receipt.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            throw new QueueException(QueueErrorCode.ReceiptInvalid, "a receipt is what a claim returned (sequence.secret)");
        }

        return seq;
    }

    /// <summary>The receipt as the row stores it (without the sequence the caller's copy starts with).</summary>
    public static string Stored(string receipt) => Prefix + receipt[(receipt.IndexOf('.', StringComparison.Ordinal) + 1)..];

    /// <summary>Acks one receipt at a time with <paramref name="ack"/>; the stale ones are returned.</summary>
    public static async Task<QueueAckResult> AckEachAsync(IEnumerable<string> receipts, Func<string, Task> ack)
    {
        var stale = new List<string>();
        var acked = 0;
        foreach (var r in receipts)
        {
            try
            {
                await ack(r);
                acked++;
            }
            catch (QueueException e) when (e.Code == QueueErrorCode.ReceiptStale)
            {
                stale.Add(r);
            }
        }

        return new QueueAckResult(acked, stale);
    }
}
