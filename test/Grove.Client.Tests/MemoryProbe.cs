namespace Grove.Client.Tests;

/// <summary>The highest managed heap size seen while a transfer runs, above the heap at its start.</summary>
internal sealed class MemoryProbe
{
    private readonly long _baseline;
    private long _peak;

    public MemoryProbe()
    {
        _baseline = GC.GetTotalMemory(forceFullCollection: true);
        _peak = _baseline;
    }

    /// <summary>The peak growth over the baseline, in bytes.</summary>
    public long PeakGrowth => Interlocked.Read(ref _peak) - _baseline;

    public void Sample()
    {
        var now = GC.GetTotalMemory(forceFullCollection: false);
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }
    }
}
