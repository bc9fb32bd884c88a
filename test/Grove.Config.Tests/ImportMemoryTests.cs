using System.IO.Compression;
using System.Text;
using Xunit.Abstractions;

namespace Grove.Config.Tests;

/// <summary>Tests that measure the process's heap run alone: other tests' allocations would blur them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuringCollection
{
    public const string Name = "measures the heap (runs alone)";
}

/// <summary>Issue 12, defect 4: a big import held each config three times over and allocated ~20 times its content.</summary>
[Collection(MemoryMeasuringCollection.Name)]
public sealed class ImportMemoryTests(ITestOutputHelper output) : EngineTestBase
{
    private const int Entries = 200;
    private const int Size = 100 * 1024;

    private static MemoryStream Zip(int entries, string group)
    {
        var line = Encoding.UTF8.GetBytes("service.endpoint.timeout.milliseconds = 1500\n");
        var body = new byte[Size];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = line[i % line.Length];
        }

        var ms = new MemoryStream();
        using (var archive = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < entries; i++)
            {
                Encoding.UTF8.GetBytes($"# {i:D6}\n").CopyTo(body, 0);
                using var s = archive.CreateEntry($"{group}/config-{i:D6}.txt").Open();
                s.Write(body);
            }
        }

        ms.Position = 0;
        return ms;
    }

    [Fact]
    public async Task ImportMemory_ZipOfBigEntries_HoldsContentOnceAndAllocatesLittleMore()
    {
        // Note that a first import outside the measure takes the one-time costs (code, pools, the tree's caches).
        using (var warm = Zip(5, "WARM"))
        {
            await Engine.ImportAsync(warm);
        }

        using var zip = Zip(Entries, "BIG");
        const long Content = (long)Entries * Size;
        var liveBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var result = await Engine.ImportAsync(zip, new ImportOptions { Actor = Admin });

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var live = GC.GetTotalMemory(forceFullCollection: true) - liveBefore;
        output.WriteLine($"content {Content >> 20} MiB: live heap +{live >> 20} MiB, allocated {allocated >> 20} MiB");
        result.Created.Count.ShouldBe(Entries);
        var served = Engine.Get(Key("config-000199.txt", "BIG")).ShouldNotBeNull();
        served.Utf8.Length.ShouldBe(Size);
        served.Content.ShouldStartWith("# 000199\n");
        live.ShouldBeLessThan(Content * 3 / 2, $"served configs hold their content once (live heap grew {live >> 20} MiB for {Content >> 20} MiB of content)");
        allocated.ShouldBeLessThan(Content * 4, $"the import streams its entries (allocated {allocated >> 20} MiB for {Content >> 20} MiB of content)");
    }
}
