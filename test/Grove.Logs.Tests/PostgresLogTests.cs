using Xunit.Abstractions;

namespace Grove.Logs.Tests;

/// <summary>Two nodes on one PostgreSQL share live tasks: either appends, reads, follows, finishes and archives any task.</summary>
public sealed class PostgresLogTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoNodes_OnePostgres_ShareAppendsFollowAndArchive()
    {
        var store = await PostgresServer.DatabaseOrSkipAsync(output);
        if (store is null)
        {
            return;
        }

        using var folder = new TempFolder();
        TreeOptions Node(string name) => new() { Store = store, DataPath = folder.Combine(name), LockDataFolder = false };
        var options = new LogOptions { Background = false, ArchiveBlockBytes = 4096, FollowPoll = TimeSpan.FromSeconds(30) };
        await using var treeA = await TreeService.OpenAsync(Node("a"));
        await using var treeB = await TreeService.OpenAsync(Node("b"));
        await using var a = await LogService.OpenAsync(treeA, options);
        await using var b = await LogService.OpenAsync(treeB, options);
        a.LiveStore.ShouldBe(LiveStoreKind.Postgres);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var task = await a.CreateAsync("shared", ["pg"]);
        await b.AppendAsync(task.Id, LogHarness.Lines(0, 100));
        (await a.AppendAsync(task.Id, LogHarness.Lines(50, 100))).ShouldBe(new AppendResult(50, 50, 150));
        (await Should.ThrowAsync<LogException>(() => b.AppendAsync(task.Id, LogHarness.Lines(200, 1)))).Expected.ShouldBe(150);
        (await b.ReadAsync(task.Id, 140, 20)).Lines.ShouldBe(LogHarness.Lines(140, 10));

        // A follower on node B is woken by appends made on node A (LISTEN/NOTIFY; its poll is 30 s, so only a notice can wake it in time).
        await using var follow = b.FollowAsync(task.Id, 150, deadline.Token).GetAsyncEnumerator(deadline.Token);
        var waiting = follow.MoveNextAsync().AsTask();
        await a.AppendAsync(task.Id, LogHarness.Lines(150, 50));
        (await waiting.WaitAsync(TimeSpan.FromSeconds(10), deadline.Token)).ShouldBeTrue();
        follow.Current.ShouldBe(LogHarness.Lines(150, 1)[0]);

        (await b.FinishAsync(task.Id, LogTaskStatus.Succeeded, 0)).Status.ShouldBe(LogTaskStatus.Succeeded);
        (await Should.ThrowAsync<LogException>(() => a.AppendAsync(task.Id, LogHarness.Lines(200, 1)))).Code.ShouldBe(LogErrorCode.Finished);
        (await a.ArchivePendingAsync()).ShouldBe(1);

        var rest = new List<LogLine> { follow.Current };
        while (await follow.MoveNextAsync())
        {
            rest.Add(follow.Current);
        }

        rest.ShouldBe(LogHarness.Lines(150, 50));
        var fromB = await b.ReadAsync(task.Id, 0, 1000);
        fromB.Storage.ShouldBe(LogStorage.Archived);
        fromB.Lines.ShouldBe(LogHarness.Lines(0, 200));
        (await b.ListAsync(new LogTaskQuery { Labels = ["pg"] })).Items.Single().Lines.ShouldBe(200);
    }

    [Fact]
    public async Task PostgresStore_TruncationAndIdle_SameRulesAsLocal()
    {
        var store = await PostgresServer.DatabaseOrSkipAsync(output);
        if (store is null)
        {
            return;
        }

        using var folder = new TempFolder();
        var clock = new ManualTime();
        await using var tree = await TreeService.OpenAsync(new TreeOptions { Store = store, DataPath = folder.Path, Time = clock });
        await using var logs = await LogService.OpenAsync(tree, new LogOptions
        {
            Background = false, MaxTaskBytes = 64 * 1024, IdleTimeout = TimeSpan.FromMinutes(1), Time = clock,
        });
        var task = await logs.CreateAsync("chatty");
        for (var i = 0; i < 40; i++)
        {
            await logs.AppendAsync(task.Id, LogHarness.BuildLines(i * 100, 100));
        }

        var info = await logs.GetAsync(task.Id);
        info.DroppedLines.ShouldBeGreaterThan(0);
        var page = await logs.ReadAsync(task.Id, info.Lines - 10);
        page.Lines.ShouldBe(LogHarness.BuildLines(info.Lines - 10, 10));
        (await logs.AppendAsync(task.Id, LogHarness.BuildLines(100, 100))).Duplicates.ShouldBe(100);

        clock.Advance(TimeSpan.FromMinutes(2));
        (await logs.SweepIdleAsync()).ShouldBe(1);
        await logs.ArchivePendingAsync();
        var done = await logs.GetAsync(task.Id);
        done.Status.ShouldBe(LogTaskStatus.Abandoned);
        done.Storage.ShouldBe(LogStorage.Archived);
        done.DroppedLines.ShouldBe(info.DroppedLines);
    }
}
