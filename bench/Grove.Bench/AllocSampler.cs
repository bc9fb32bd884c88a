using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Grove.Bench;

/// <summary>
/// Samples this process's allocations by type (the runtime's GCAllocationTick event, one per ~100 KB allocated) and prints
/// the share of each: <c>GROVE_BENCH_ALLOC=1</c> with a queue suite's one-side-alone mode.
/// </summary>
internal sealed class AllocSampler : EventListener
{
    private readonly ConcurrentDictionary<string, long> _counts = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName == "GCAllocationTick_V4" || e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true)
        {
            var name = e.Payload?[e.PayloadNames!.IndexOf("TypeName")]?.ToString() ?? "?";
            _counts.AddOrUpdate(name, 1, (_, c) => c + 1);
        }
    }

    public void Print()
    {
        var total = _counts.Values.Sum();
        foreach (var (k, v) in _counts.OrderByDescending(kv => kv.Value).Take(40))
        {
            Console.WriteLine($"{v * 100.0 / total,6:N1}%  {k}");
        }
    }
}
