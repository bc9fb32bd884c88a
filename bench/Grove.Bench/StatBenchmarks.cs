using BenchmarkDotNet.Attributes;
using Grove.Tree;

namespace Grove.Bench;

/// <summary>In-process costs of the hottest calls: a warm stat (cache hit) and a cold child lookup (SQLite).</summary>
[MemoryDiagnoser]
public class StatBenchmarks
{
    private TreeService _tree = null!;
    private string _dir = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "grove-micro-" + Guid.NewGuid().ToString("N"));
        _tree = await TreeService.OpenAsync(new TreeOptions { DataPath = _dir });
        for (var i = 0; i < 1000; i++)
        {
            await _tree.CreateAsync($"/m/f{i}", ObjectRace.File);
        }

        await _tree.GetAsync("/m/f7");
    }

    [Benchmark]
    public Task<TreeObject> WarmStat() => _tree.GetAsync("/m/f7");

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _tree.DisposeAsync();
        Directory.Delete(_dir, true);
    }
}
