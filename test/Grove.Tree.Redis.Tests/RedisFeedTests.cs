using StackExchange.Redis;
using Xunit.Abstractions;

namespace Grove.Tree.Redis.Tests;

/// <summary>
/// The change feed of a <c>redis</c> mount on a PostgreSQL store: a commit keeps its feed entry in Redis with its rows
/// (one atomic script) and the tree moves it into the feed after the commit answered — so a reader still sees it at
/// once, and an entry a stopped process left behind is moved once, never twice. (On SQLite the entry is written right
/// after the commit, as for other mounts with their own index.)
/// </summary>
public sealed class RedisFeedTests(ITestOutputHelper output) : RedisTestBase(output)
{
    [Fact]
    public async Task Create_OnRedisMount_ReaderSeesItOnceRightAfterTheAnswer()
    {
        if (await StoreAsync() is not { } store) return;

        await using var tree = await OpenAsync(store, "a");
        await tree.MountAsync("/s", $"redis({Key})", createMissing: true);
        for (var i = 0; i < 20; i++)
        {
            var head = await tree.ChangeRevisionAsync();
            var f = await tree.WriteAsync($"/s/f{i}.txt", Bytes(10, i));

            var page = await tree.ChangesAsync("/s", head);
            page.Changes.Where(c => c.Path == $"/s/f{i}.txt").ShouldHaveSingleItem().Kind.ShouldBe(ChangeKind.Create);
            page.Changes.Single(c => c.Path == $"/s/f{i}.txt").Id.ShouldBe(f.Id);
        }

        // Note that a commit drops what the feed took before it: at most the last move's entries wait in Redis.
        await using var mux = await ConnectionMultiplexer.ConnectAsync(RedisServer.Configuration);
        (await mux.GetDatabase().StreamLengthAsync(Streams(mux, Key).ShouldHaveSingleItem())).ShouldBeLessThanOrEqualTo(1);
    }

    [Fact]
    public async Task Create_OnRedisMountSqliteStore_ReaderSeesItRightAfterTheAnswer()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/s", $"redis({Key})", createMissing: true);
        var head = await Tree.ChangeRevisionAsync();
        var f = await Tree.WriteAsync("/s/a.txt", Bytes(10));

        (await Tree.ChangesAsync("/s", head)).Changes.ShouldHaveSingleItem().Id.ShouldBe(f.Id);
    }

    [Fact]
    public async Task Commits_ManyAtOnceOnRedisMount_EachLoggedOnceInOrderPerFile()
    {
        if (await StoreAsync() is not { } store) return;

        await using var tree = await OpenAsync(store, "a");
        await tree.MountAsync("/s", $"redis({Key})", createMissing: true);
        var head = await tree.ChangeRevisionAsync();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await tree.WriteAsync($"/s/w{i}.txt", Bytes(10, i));
            await tree.WriteAsync($"/s/w{i}.txt", Bytes(20, i));
            await tree.DeleteAsync($"/s/w{i}.txt");
        })));

        var page = await tree.ChangesAsync("/s", head);
        page.Changes.Select(c => c.Revision).ShouldBe(page.Changes.Select(c => c.Revision).Order(), "revisions ascend");
        for (var i = 0; i < 16; i++)
        {
            page.Changes.Where(c => c.Path == $"/s/w{i}.txt").Select(c => c.Kind).ShouldBe([ChangeKind.Create, ChangeKind.Write, ChangeKind.Delete]);
        }
    }

    [Fact]
    public async Task Reopen_EntriesLeftInRedisByAStoppedProcess_MovedOnceWhenTheMountOpens()
    {
        if (await StoreAsync() is not { } store) return;

        long head;
        await using (var tree = await OpenAsync(store, "a"))
        {
            await tree.MountAsync("/s", $"redis({Key})", createMissing: true);
            await tree.WriteAsync("/s/first.txt", Bytes(10));
            head = await tree.ChangeRevisionAsync();
        }

        // Note that these are what a process leaves when it stops between a commit's script and the move: an entry
        // already moved whose drop was lost (the last sequence taken), and one never moved (the next sequence).
        await using var mux = await ConnectionMultiplexer.ConnectAsync(RedisServer.Configuration);
        var db = mux.GetDatabase();
        var stream = Streams(mux, Key).ShouldHaveSingleItem();
        var taken = (long)await db.StringGetAsync(stream + ":n");
        taken.ShouldBeGreaterThanOrEqualTo(1);
        await db.KeyDeleteAsync(stream);
        await db.ExecuteAsync("XADD", stream, $"{taken}-1", "e", Entry("/s/again.txt", "x1"));
        await db.StringSetAsync(stream + ":n", taken + 1);
        await db.ExecuteAsync("XADD", stream, $"{taken + 1}-1", "e", Entry("/s/left.txt", "x2"));

        await using var reopened = await OpenAsync(store, "b");
        (await reopened.FindAsync("/s/first.txt")).ShouldNotBeNull(); // opens the mount's index
        await Poll.UntilAsync(async () => (await reopened.ChangesAsync("/s", head)).Changes.Any(c => c.Path == "/s/left.txt"), "the entry left in Redis is moved");

        var page = await reopened.ChangesAsync("/s", head);
        page.Changes.Where(c => c.Path == "/s/left.txt").ShouldHaveSingleItem().Id.ShouldBe("x2");
        page.Changes.ShouldNotContain(c => c.Path == "/s/again.txt", "an entry the feed took already is not logged twice");
        (await reopened.ChangesAsync("/", 0)).Changes.Count(c => c.Path == "/s/first.txt").ShouldBe(1);
    }

    [Fact]
    public async Task Create_FeedOff_NothingKeptInRedis()
    {
        if (await StoreAsync() is not { } store) return;

        await using var tree = await OpenAsync(store, "a", retention: 0);
        await tree.MountAsync("/s", $"redis({Key})", createMissing: true);
        await tree.WriteAsync("/s/a.txt", Bytes(10));

        await using var mux = await ConnectionMultiplexer.ConnectAsync(RedisServer.Configuration);
        Streams(mux, Key).ShouldBeEmpty();
    }

    [Fact]
    public async Task Writes_TwoStoresShareOneRedisMount_EachFeedHoldsItsOwnCommitsAll()
    {
        if (await StoreAsync() is not { } store) return;
        var otherStore = await PostgresServer.Instance.CreateDatabaseAsync();

        await using var tree = await OpenAsync(store, "a");
        await using var other = await OpenAsync(otherStore, "b");
        await tree.MountAsync("/s", $"redis({Key})", createMissing: true);
        await other.MountAsync("/s", $"redis({Key})", createMissing: true);
        for (var i = 0; i < 10; i++)
        {
            await tree.WriteAsync($"/s/a{i}.txt", Bytes(10, i));
            await other.WriteAsync($"/s/b{i}.txt", Bytes(10, i));
        }

        var mine = (await tree.ChangesAsync("/s", 0)).Changes.Select(c => c.Path).ToList();
        var theirs = (await other.ChangesAsync("/s", 0)).Changes.Select(c => c.Path).ToList();
        mine.Count(p => p.StartsWith("/s/a", StringComparison.Ordinal)).ShouldBe(10);
        mine.ShouldNotContain(p => p.StartsWith("/s/b", StringComparison.Ordinal), "the other store's commits are its own feed's");
        theirs.Count(p => p.StartsWith("/s/b", StringComparison.Ordinal)).ShouldBe(10);
        theirs.ShouldNotContain(p => p.StartsWith("/s/a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Writes_TwoNodesOfOneStoreOnOneRedisMount_EachChangeLoggedOnce()
    {
        if (await StoreAsync() is not { } store) return;

        await using var a = await OpenAsync(store, "a");
        await using var b = await OpenAsync(store, "b");
        await a.MountAsync("/s", $"redis({Key})", createMissing: true);
        var head = await a.ChangeRevisionAsync();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).WriteAsync($"/s/f{i}.txt", Bytes(10, i)))));

        // Note that both nodes move entries of the same log: each takes a batch only from the sequence the store holds.
        await b.ChangesAsync("/s", head);
        var page = await a.ChangesAsync("/s", head);
        for (var i = 0; i < 20; i++)
        {
            page.Changes.Count(c => c.Path == $"/s/f{i}.txt").ShouldBe(1, $"f{i}.txt");
        }
    }

    /// <summary>A fresh PostgreSQL database, or null (and the test skips) when Redis or PostgreSQL is not here.</summary>
    private async Task<string?> StoreAsync() => Unavailable ? null : await PostgresServer.DatabaseOrSkipAsync(Output);

    private Task<TreeService> OpenAsync(string store, string folder, long retention = 100_000) => TreeService.OpenAsync(new TreeOptions
    {
        DataPath = Folder.Combine(folder),
        Store = store,
        Storage = Registry,
        Settings = Settings(),
        ReclaimInterval = TimeSpan.Zero,
        ChangeRetention = retention,
    });

    /// <summary>The pending feed streams of a mount key (one per store that committed there).</summary>
    private static List<string> Streams(ConnectionMultiplexer mux, string key) =>
        [.. mux.GetServers()[0].Keys(pattern: $"grove:{key}:fq:*").Select(k => k.ToString()).Where(k => !k.EndsWith(":n", StringComparison.Ordinal))];

    private static byte[] Entry(string path, string id) =>
        System.Text.Encoding.UTF8.GetBytes($$"""{"a":1,"c":[[0,"{{path}}",null,"{{id}}",false,1,null]]}""");
}
