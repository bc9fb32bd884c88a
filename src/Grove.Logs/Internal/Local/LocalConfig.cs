namespace Grove.Logs.Internal.Local;

/// <summary>Sizes and durability of the local live store.</summary>
/// <param name="HeadBudget">Text bytes kept at the head of a task.</param>
/// <param name="TailBudget">Text bytes of tail kept (give or take one segment).</param>
/// <param name="SegmentBytes">A segment file rolls over past this size.</param>
/// <param name="Flush">fdatasync before acknowledging.</param>
internal sealed record LocalConfig(long HeadBudget, long TailBudget, long SegmentBytes, bool Flush)
{
    public static LocalConfig From(LogOptions o, bool treeFullSync)
    {
        var head = o.MaxTaskBytes / 2;
        var tail = o.MaxTaskBytes - head;
        var segment = Math.Clamp(o.MaxTaskBytes / 8, 4096, 64L << 20);
        return new LocalConfig(head, tail, segment, o.FlushToDisk ?? treeFullSync);
    }
}
