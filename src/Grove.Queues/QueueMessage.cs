namespace Grove.Queues;

/// <summary>A message of a queue: a file in the queue's directory.</summary>
/// <param name="Sequence">Its place in the queue (FIFO order).</param>
/// <param name="Id">The file's object id.</param>
/// <param name="Path">The file's path.</param>
/// <param name="Deliveries">How many times it was claimed.</param>
/// <param name="Enqueued">When it was enqueued (Unix ms).</param>
/// <param name="VisibleAt">When it may be claimed (again), Unix ms; in the future while a consumer holds it.</param>
public sealed record QueueMessage(long Sequence, string Id, string Path, int Deliveries, long Enqueued, long VisibleAt);

/// <summary>A claimed message and the receipt that acks or nacks it.</summary>
/// <param name="Message">The message.</param>
/// <param name="Receipt">The claim's receipt: valid until the visibility time-out passes.</param>
public sealed record ClaimedMessage(QueueMessage Message, string Receipt);

/// <summary>A queue's depth and its oldest message.</summary>
/// <param name="Path">The queue's directory.</param>
/// <param name="Depth">Messages in it (claimed or not).</param>
/// <param name="InFlight">Messages claimed and not yet acked.</param>
/// <param name="Oldest">When the oldest message was enqueued (Unix ms), or null when empty.</param>
public sealed record QueueStats(string Path, long Depth, long InFlight, long? Oldest);

/// <summary>What an ack of several receipts did.</summary>
/// <param name="Acked">Messages acknowledged (their files deleted).</param>
/// <param name="Stale">The receipts refused as stale (timed out, claimed again, acked already, or their file left the queue).</param>
public sealed record QueueAckResult(int Acked, IReadOnlyList<string> Stale);
