using System.Net;
using System.Security.Cryptography;
using Xunit.Abstractions;

namespace Grove.Server.Tests;

/// <summary>Two server nodes on one PostgreSQL: shared content, caches kept coherent through LISTEN/NOTIFY.</summary>
public sealed class TwoNodeApiTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private string? _store;

    public async Task InitializeAsync() => _store = await PostgresServer.DatabaseOrSkipAsync(output);

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    private Task<RunningServer> NodeAsync(string name) => RunningServer.StartAsync(data: _folder.Dir(name), store: _store);

    [Fact]
    public async Task WriteOnOneNode_IsReadOnTheOtherThroughItsCache()
    {
        if (_store is null) return;
        await using var a = await NodeAsync("a");
        await using var b = await NodeAsync("b");
        var onA = await a.AdminAsync();
        var onB = await b.AdminAsync();

        var big = RandomNumberGenerator.GetBytes(3 << 20);
        (await onA.PutAsync("/api/v1/files/shared/big.bin", new ByteArrayContent(big))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await onB.GetByteArrayAsync("/api/v1/files/shared/big.bin")).ShouldBe(big, "content written through one node is read through the other");

        (await onA.PutAsync("/api/v1/files/shared/doc.txt", new StringContent("v1"))).EnsureSuccessStatusCode();
        (await onB.GetStringAsync("/api/v1/files/shared/doc.txt")).ShouldBe("v1");
        var hits = b.Server.Tree.CacheStats.Hits;
        (await onB.GetStringAsync("/api/v1/stat/shared/doc.txt")).ShouldContain("doc.txt");
        b.Server.Tree.CacheStats.Hits.ShouldBeGreaterThan(hits, "node b serves the stat from its cache");

        (await onA.PutAsync("/api/v1/files/shared/doc.txt", new StringContent("v2"))).EnsureSuccessStatusCode();
        var lag = await Eventually.HoldsAsync(async () => await onB.GetStringAsync("/api/v1/files/shared/doc.txt") == "v2", "node b reads v2");
        output.WriteLine($"v2 visible on node b after {lag.TotalMilliseconds:0.0} ms");

        (await onB.DeleteAsync("/api/v1/objects/shared/doc.txt")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await Eventually.HoldsAsync(async () => (await onA.GetAsync("/api/v1/stat/shared/doc.txt")).StatusCode == HttpStatusCode.NotFound, "node a sees the delete");
    }

    [Fact]
    public async Task UserCreatedOnOneNode_SignsInOnTheOther()
    {
        if (_store is null) return;
        await using var a = await NodeAsync("a");
        await using var b = await NodeAsync("b");
        await a.UserAsync("hana");
        var onB = await b.SignedInAsync("hana", RunningServer.UserPassword);
        (await onB.GetStringAsync("/api/v1/auth/me")).ShouldContain("hana");
    }

    [Fact]
    public async Task NodeRestartedMidStream_RejoinsWithoutStaleEntries()
    {
        if (_store is null) return;
        await using var a = await NodeAsync("a");
        await using var b = await NodeAsync("b");
        var onA = await a.AdminAsync();
        for (var i = 0; i < 10; i++)
        {
            (await onA.PutAsync($"/api/v1/files/live/f{i}", new StringContent("old"))).EnsureSuccessStatusCode();
            await (await b.AdminAsync()).GetStringAsync($"/api/v1/files/live/f{i}");
        }

        var writes = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                (await onA.PutAsync($"/api/v1/files/live/f{i}", new StringContent("new"))).EnsureSuccessStatusCode();
            }
        });
        await b.RestartAsync();
        await writes;

        var onB = await b.AdminAsync();
        for (var i = 0; i < 10; i++)
        {
            (await onB.GetStringAsync($"/api/v1/files/live/f{i}")).ShouldBe("new", "every write acknowledged before the read shows at once");
        }
    }
}
