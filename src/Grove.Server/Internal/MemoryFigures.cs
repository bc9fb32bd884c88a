using System.Diagnostics;
using System.Runtime;

namespace Grove.Server.Internal;

/// <summary>Where the process's memory is (issue 12, defect 11): what an operator reads before guessing at GC settings.</summary>
internal static class MemoryFigures
{
    private static readonly string[] Generations = ["gen0", "gen1", "gen2", "loh", "poh"];

    public static object Now(object? idleTrim = null)
    {
        var gc = GC.GetGCMemoryInfo(GCKind.Any);
        using var process = Process.GetCurrentProcess();
        var generations = gc.GenerationInfo.ToArray();
        return new
        {
            residentBytes = process.WorkingSet64,
            peakResidentBytes = process.PeakWorkingSet64,
            managedHeapBytes = gc.HeapSizeBytes,
            committedBytes = gc.TotalCommittedBytes,
            fragmentedBytes = gc.FragmentedBytes,
            promotedBytes = gc.PromotedBytes,
            generations = generations.Select((g, i) => new
            {
                name = i < Generations.Length ? Generations[i] : $"gen{i}",
                sizeAfterBytes = g.SizeAfterBytes,
                fragmentationAfterBytes = g.FragmentationAfterBytes,
            }),
            totalAllocatedBytes = GC.GetTotalAllocatedBytes(),
            collections = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) },
            pauseTimePercentage = gc.PauseTimePercentage,
            serverGc = GCSettings.IsServerGC,
            latencyMode = GCSettings.LatencyMode.ToString(),
            heapHardLimitBytes = gc.TotalAvailableMemoryBytes,
            threads = process.Threads.Count,
            idleTrim,
        };
    }
}
