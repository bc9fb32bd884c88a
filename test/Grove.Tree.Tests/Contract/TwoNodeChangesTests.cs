using Grove.Tree.Storage;
using Xunit.Abstractions;

namespace Grove.Tree.Tests.Contract;

/// <summary>
/// The change feed across two nodes sharing one PostgreSQL database: one order, woken through the bus; commits write
/// their changes without a lock and revisions are given after the commit, keeping the order of conflicting writes; a
/// writer reads its own change; changes a stopped node left unnumbered appear.
/// </summary>
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

    [Fact]
    public async Task Overwrite_ConcurrentOnTwoNodes_FeedHasEachFilesVersionsInOrderAndEachWriterReadsItsOwn()
    {
        if (_store is null) return;
        await using var a = await NodeAsync("a");
        await using var b = await NodeAsync("b");
        await a.WriteAsync("/c/0", new byte[] { 0 });
        await a.WriteAsync("/c/1", new byte[] { 0 });
        var from = a.ChangeRevision;

        var missed = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var node = w % 2 == 0 ? a : b;
            for (var i = 0; i < 15; i++)
            {
                var path = $"/c/{(w + i) % 2}";
                var before = node.ChangeRevision;
                var written = await node.WriteAsync(path, new[] { (byte)w, (byte)i });
                var page = await node.ChangesAsync("/c", before, 10_000);
                if (!page.Changes.Any(c => c.Path == path && c.Version == written.Version))
                {
                    Interlocked.Increment(ref missed);
                }
            }
        })));

        missed.ShouldBe(0);
        var feed = (await b.ChangesAsync("/c", from, 10_000)).Changes;
        feed.Count.ShouldBe(120);
        feed.Select(c => c.Revision).ShouldBe(Enumerable.Range(0, 120).Select(i => from + 1 + i));
        foreach (var file in feed.GroupBy(c => c.Path))
        {
            file.Select(c => c.Version).ShouldBeInOrder(SortDirection.Ascending, $"versions of {file.Key} in revision order");
            file.Select(c => c.Version).Distinct().Count().ShouldBe(file.Count());
        }
    }

    [Fact]
    public async Task ChangesAsync_ChangesAStoppedNodeLeftUnnumbered_NumberedForACaughtUpReaderAndAtOpen()
    {
        if (_store is null) return;
        await using (var a = await NodeAsync("a"))
        {
            await a.WriteAsync("/p/first", new byte[] { 1 });
            var head = a.ChangeRevision;
            await LeavePendingAsync(a.Engines, "/p/left-by-a-crash");

            var page = await a.ChangesAsync("/p", head);
            page.Changes.Select(c => c.Path).ShouldBe(["/p/left-by-a-crash"]);
            page.Changes[0].Revision.ShouldBe(head + 1);
            await LeavePendingAsync(a.Engines, "/p/left-again");
        }

        await using var b = await NodeAsync("b");
        var all = await b.ChangesAsync("/p", 0);
        all.Changes.Where(c => !c.IsDir).Select(c => c.Path).ShouldBe(["/p/first", "/p/left-by-a-crash", "/p/left-again"]);
    }

    private static async Task LeavePendingAsync(EngineStorage engines, string path)
    {
        await using var c = await engines.OpenConnectionAsync(CancellationToken.None);
        await using var cmd = EngineStorage.Command(c, null, """
            INSERT INTO grove_changes_pending (kind, path, old_path, id, dir, ver, usr, at) VALUES (@k, @p, NULL, 'x', 0, 1, NULL, 0)
            """);
        EngineStorage.Parameter(cmd, "k", (int)ChangeKind.Create);
        EngineStorage.Parameter(cmd, "p", path);
        await cmd.ExecuteNonQueryAsync();
    }
}
