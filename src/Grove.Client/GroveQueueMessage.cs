using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>A message of a queue mount: a file of the queue's directory.</summary>
/// <param name="Sequence">Its place in the queue (FIFO).</param>
/// <param name="Id">The file's id.</param>
/// <param name="Path">The file's path (download its content with <c>DownloadAsync</c>).</param>
/// <param name="Deliveries">How many times it was claimed.</param>
/// <param name="Enqueued">When it was enqueued.</param>
/// <param name="VisibleAt">When it may be claimed (again).</param>
/// <param name="Receipt">The claim's receipt (pop only): ack or nack with it before the visibility time-out.</param>
public sealed record GroveQueueMessage(long Sequence, string Id, string Path, int Deliveries, DateTimeOffset Enqueued, DateTimeOffset VisibleAt, string? Receipt)
{
    internal static GroveQueueMessage FromJson(JsonElement e) => new(
        Wire.Long(e, "sequence"), Wire.Str(e, "id"), Wire.Str(e, "path"), (int)Wire.Long(e, "deliveries"),
        Wire.Time(e, "enqueued"), Wire.Time(e, "visibleAt"), Wire.OptStr(e, "receipt"));
}

/// <summary>A queue's depth and its oldest message.</summary>
/// <param name="Path">The queue's directory.</param>
/// <param name="Depth">Messages in it.</param>
/// <param name="InFlight">Messages claimed and not yet acked.</param>
/// <param name="Oldest">When the oldest message was enqueued; null when empty.</param>
public sealed record GroveQueueStats(string Path, long Depth, long InFlight, DateTimeOffset? Oldest)
{
    internal static GroveQueueStats FromJson(JsonElement e) => new(Wire.Str(e, "path"), Wire.Long(e, "depth"), Wire.Long(e, "inFlight"), Wire.OptTime(e, "oldest"));
}

/// <summary>A queue's messages in FIFO order with its stats.</summary>
/// <param name="Stats">Depth and oldest message.</param>
/// <param name="Items">The messages.</param>
public sealed record GroveQueueListing(GroveQueueStats Stats, IReadOnlyList<GroveQueueMessage> Items);

/// <summary>What an ack of several receipts did.</summary>
/// <param name="Acked">Messages acknowledged (their files deleted).</param>
/// <param name="Stale">The receipts refused as stale (timed out, claimed again, acked already, or their file left the queue).</param>
public sealed record GroveQueueAckResult(int Acked, IReadOnlyList<string> Stale)
{
    internal static GroveQueueAckResult FromJson(JsonElement e) => new(
        (int)Wire.Long(e, "acked"), Wire.Strings(e, "stale"));
}
