namespace Grove.Queues.Internal;

/// <summary>
/// The files an ack is deleting, read by the commit hook from the async flow: their queue rows are deleted by the
/// ack's own statement (which checks the receipt), so the hook adds no second delete for them.
/// </summary>
internal static class AckSlot
{
    public static readonly AsyncLocal<IReadOnlyCollection<string>?> Current = new();

    public static bool Covers(string obj) => Current.Value is { } ids && ids.Contains(obj);
}
