using System.Diagnostics;
using Xunit.Abstractions;

namespace Grove.Tree.Tests.Contract;

/// <summary>
/// Two processes' worth of trees on one PostgreSQL database: a change committed by one node reaches the other's
/// hot-object cache through LISTEN/NOTIFY, and a node that restarts mid-stream holds no stale entries.
/// </summary>
public sealed class TwoNodeCacheTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private string? _store;

    public async Task InitializeAsync() => _store = await PostgresServer.DatabaseOrSkipAsync(output);

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    private Task<TreeService> NodeAsync(string name) =>
        TreeService.OpenAsync(new TreeOptions { Store = _store, DataPath = _folder.Combine(name), LockDataFolder = false });

    /// <summary>Polls until <paramref name="condition"/> holds, failing after the deadline.</summary>
    private static async Task<TimeSpan> EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"not within 10 s: {what}");
            }

            await Task.Yield();
        }

        return sw.Elapsed;
    }

    [Fact]
    public async Task Write_OnOneNode_IsSeenThroughTheOtherNodesCache()
    {
        if (_store is null) return;
        await using var a = await NodeAsync("a");
        await using var b = await NodeAsync("b");
        await a.WriteAsync("/shared/doc.txt", "v1"u8.ToArray());
        (await b.GetAsync("/shared/doc.txt")).Sha256.ShouldNotBeNull();
        var hits = b.CacheStats.Hits;
        await b.GetAsync("/shared/doc.txt");
        b.CacheStats.Hits.ShouldBeGreaterThan(hits, "the second stat on b is served from its cache");

        var v2 = await a.WriteAsync("/shared/doc.txt", "v2"u8.ToArray());
        var lag = await EventuallyAsync(async () => (await b.GetAsync("/shared/doc.txt")).Sha256 == v2.Sha256, "b sees v2");
        (await b.ReadAllBytesAsync("/shared/doc.txt")).ShouldBe("v2"u8.ToArray());
        output.WriteLine($"change visible on the other node after {lag.TotalMilliseconds:0.0} ms");

        await a.SetMetaAsync("/shared/doc.txt", new Dictionary<string, object?> { ["state"] = "approved" });
        await EventuallyAsync(async () => (await b.GetAsync("/shared/doc.txt")).Get("state") as string == "approved", "b sees the metadata");

        await a.MoveAsync("/shared", "/archive");
        await EventuallyAsync(async () => await b.FindAsync("/shared/doc.txt") is null, "b forgets the moved directory's paths");
        (await b.GetAsync("/archive/doc.txt")).Sha256.ShouldBe(v2.Sha256);

        await a.DeleteAsync("/archive/doc.txt");
        await EventuallyAsync(async () => await b.FindAsync("/archive/doc.txt") is null, "b sees the delete");
    }

    [Fact]
    public async Task Restart_MidStream_RejoinsWithoutStaleEntries()
    {
        if (_store is null) return;
        await using var a = await NodeAsync("a");
        var b = await NodeAsync("b");
        for (var i = 0; i < 20; i++)
        {
            await a.WriteAsync($"/live/f{i}", BitConverter.GetBytes(i));
            await b.GetAsync($"/live/f{i}");
        }

        // a keeps writing while b goes away and comes back.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var round = 0;
            while (!stop.IsCancellationRequested)
            {
                round++;
                for (var i = 0; i < 20; i++)
                {
                    await a.SetMetaAsync($"/live/f{i}", new Dictionary<string, object?> { ["round"] = (long)round });
                }
            }

            return round;
        });
        await b.DisposeAsync();
        await using var b2 = await NodeAsync("b");
        for (var i = 0; i < 20; i++)
        {
            await b2.GetAsync($"/live/f{i}");
        }

        await stop.CancelAsync();
        var last = await writer;
        for (var i = 0; i < 20; i++)
        {
            var path = $"/live/f{i}";
            await EventuallyAsync(async () => (await b2.GetAsync(path)).Get("round") is long r && r == last, $"{path} at round {last}");
        }
    }
}
