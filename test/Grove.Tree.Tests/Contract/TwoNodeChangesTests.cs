using Xunit.Abstractions;

namespace Grove.Tree.Tests.Contract;

/// <summary>The change feed across two nodes sharing one PostgreSQL database: one order, woken through the bus.</summary>
public sealed class TwoNodeChangesTests(ITestOutputHelper output) : IAsyncLifetime
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

    [Fact]
    public async Task Watch_WritesOnBothNodes_OtherNodeSeesEveryChangeOnceInOneOrder()
    {
        if (_store is null) return;
        await using var a = await NodeAsync("a");
        await using var b = await NodeAsync("b");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<TreeChange>();
        var watching = Task.Run(async () =>
        {
            await foreach (var page in b.WatchAsync("/x", 0, cts.Token))
            {
                seen.AddRange(page.Changes);
                if (seen.Count(c => c.Kind == ChangeKind.Create && !c.IsDir) == 40)
                {
                    return;
                }
            }
        }, cts.Token);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).WriteAsync($"/x/{i}", new byte[] { 1 }))
            .Concat(Enumerable.Range(20, 20).Select(i => (i % 2 == 0 ? b : a).WriteAsync($"/x/{i}", new byte[] { 2 }))));
        await watching;

        seen.Select(c => c.Revision).ShouldBeInOrder(SortDirection.Ascending);
        seen.Select(c => c.Revision).Distinct().Count().ShouldBe(seen.Count);
        seen.Where(c => !c.IsDir).Select(c => c.Path).Order(StringComparer.Ordinal).ShouldBe(Enumerable.Range(0, 40).Select(i => $"/x/{i}").Order(StringComparer.Ordinal));
        (await a.ChangesAsync("/x", 0)).Changes.Select(c => c.Revision).ShouldBe(seen.Select(c => c.Revision));
    }
}
