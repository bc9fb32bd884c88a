namespace Grove.Queues.Internal;

/// <summary>
/// Where a push learns its message's sequence number: the enqueue step of the commit that creates the file fills it
/// (read from the async flow when the commit is described, so it works whichever task runs the statements). No read
/// after the commit is needed, so a consumer that takes and acks the message at once cannot make the push fail.
/// </summary>
internal sealed class PushSlot(string queueId, string name)
{
    public static readonly AsyncLocal<PushSlot?> Current = new();

    public long Seq { get; private set; }

    public long Enqueued { get; private set; }

    /// <summary>Records the enqueue of <paramref name="fileName"/> in <paramref name="queue"/> when it is this push's file.</summary>
    public void Fill(string queue, string fileName, long seq, long enqueued)
    {
        if (queue == queueId && fileName == name && seq > 0)
        {
            (Seq, Enqueued) = (seq, enqueued);
        }
    }
}
