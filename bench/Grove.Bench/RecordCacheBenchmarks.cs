using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Grove.Records;
using Grove.Tree;
using Microsoft.Extensions.Caching.Memory;

namespace Grove.Bench;

/// <summary>
/// A records hot-cache hit in process (get by a Long key, the row cached), against the peers a .NET developer would
/// reach for with the key already built: a ConcurrentDictionary and MemoryCache. Goal: ≤ 50 ns, 0 B.
/// </summary>
[MemoryDiagnoser]
public class RecordCacheBenchmarks
{
    private const string Mapping = """
        {"tableName":"t_news","fields":[{"name":"id","type":"Long"},{"name":"ct","type":"Long","notNull":true},{"name":"title"}],"pks":["id"]}
        """;

    private readonly ConcurrentDictionary<string, RecordRow> _dictionary = new(StringComparer.Ordinal);
    private readonly MemoryCache _memory = new(new MemoryCacheOptions());
    private readonly string _builtKey = "news\u001e7";
    private TreeService _tree = null!;
    private RecordService _records = null!;
    private string _dir = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "grove-micro-records-" + Guid.NewGuid().ToString("N"));
        _tree = await TreeService.OpenAsync(new TreeOptions { DataPath = _dir });
        _records = await RecordService.OpenAsync(_tree);
        await _records.DefineAsync("news", RecordMapping.Parse(Mapping));
        for (var i = 0; i < 1000; i++)
        {
            await _records.InsertAsync("news", new Dictionary<string, object?> { ["id"] = (long)i, ["ct"] = (long)i, ["title"] = "t" + i });
        }

        var row = (await _records.GetAsync("news", 7L))!;
        _dictionary[_builtKey] = row;
        _memory.Set(_builtKey, row);
    }

    [Benchmark(Baseline = true)]
    public RecordRow? GroveCachedGet()
    {
        // Note that a hit completes synchronously: reading Result costs no wait and no allocation.
        var pending = _records.GetAsync("news", 7L);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public RecordRow? ConcurrentDictionaryHit() => _dictionary.TryGetValue(_builtKey, out var row) ? row : null;

    [Benchmark]
    public RecordRow? MemoryCacheHit() => _memory.TryGetValue(_builtKey, out RecordRow? row) ? row : null;

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _memory.Dispose();
        await _records.DisposeAsync();
        await _tree.DisposeAsync();
        Directory.Delete(_dir, true);
    }
}
