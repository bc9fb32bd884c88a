using StackExchange.Redis;
using Xunit.Abstractions;

namespace Grove.Tree.Redis.Tests;

/// <summary>
/// The change feed of a <c>redis</c> mount: a commit keeps its feed entry in Redis with its rows (one atomic script) and
/// the tree moves it into the feed after the commit answered — so a caught-up reader still sees it at once, and an
/// entry a stopped process left behind is moved once, never twice.
/// </summary>
public sealed class RedisFeedTests(ITestOutputHelper output) : RedisTestBase(output)
{
    [Fact]
    public async Task Create_OnRedisMount_CaughtUpReaderSeesItOnceRightAfterTheAnswer()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/s", $"redis({Key})", createMissing: true);
        for (var i = 0; i < 20; i++)
        {
            var head = await Tree.ChangeRevisionAsync();
            var f = await Tree.WriteAsync($"/s/f{i}.txt", Bytes(10, i));

            var page = await Tree.ChangesAsync("/s", head);
            page.Changes.Where(c => c.Path == $"/s/f{i}.txt").ShouldHaveSingleItem().Kind.ShouldBe(ChangeKind.Create);
            page.Changes.Single(c => c.Path == $"/s/f{i}.txt").Id.ShouldBe(f.Id);
        }

        await using var mux = await ConnectionMultiplexer.ConnectAsync(RedisServer.Configuration);
        (await mux.GetDatabase().StreamLengthAsync($"grove:{Key}:fq")).ShouldBe(0, "moved entries are dropped from Redis");
    }

    [Fact]
    public async Task Commits_ManyAtOnceOnRedisMount_EachLoggedOnceInOrderPerFile()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/s", $"redis({Key})", createMissing: true);
        var head = await Tree.ChangeRevisionAsync();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await Tree.WriteAsync($"/s/w{i}.txt", Bytes(10, i));
            await Tree.WriteAsync($"/s/w{i}.txt", Bytes(20, i));
            await Tree.DeleteAsync($"/s/w{i}.txt");
        })));

        var page = await Tree.ChangesAsync("/s", head);
        page.Changes.Select(c => c.Revision).ShouldBe(page.Changes.Select(c => c.Revision).Order(), "revisions ascend");
        for (var i = 0; i < 16; i++)
        {
            page.Changes.Where(c => c.Path == $"/s/w{i}.txt").Select(c => c.Kind).ShouldBe([ChangeKind.Create, ChangeKind.Write, ChangeKind.Delete]);
        }
    }

    [Fact]
    public async Task Reopen_EntriesLeftInRedisByAStoppedProcess_MovedOnceWhenTheMountOpens()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/s", $"redis({Key})", createMissing: true);
        await Tree.WriteAsync("/s/first.txt", Bytes(10));
        var head = await Tree.ChangeRevisionAsync();
        await Tree.DisposeAsync();
        Tree = null!;

        // Note that these are what a process leaves when it stops between a commit's script and the move: an entry
        // already moved whose trim was lost (sequence 1, taken), and one never moved (the next sequence).
        await using var mux = await ConnectionMultiplexer.ConnectAsync(RedisServer.Configuration);
        var db = mux.GetDatabase();
        var taken = (long)await db.StringGetAsync($"grove:{Key}:fq:n");
        taken.ShouldBeGreaterThanOrEqualTo(1);
        await db.KeyDeleteAsync($"grove:{Key}:fq");
        await db.ExecuteAsync("XADD", $"grove:{Key}:fq", $"{taken}-1", "e", Entry("/s/again.txt", "x1"));
        await db.StringSetAsync($"grove:{Key}:fq:n", taken + 1);
        await db.ExecuteAsync("XADD", $"grove:{Key}:fq", $"{taken + 1}-1", "e", Entry("/s/left.txt", "x2"));

        Tree = await OpenTreeAsync(Settings(), "data");
        (await Tree.FindAsync("/s/first.txt")).ShouldNotBeNull(); // opens the mount's index
        await Poll.UntilAsync(async () => await db.StreamLengthAsync($"grove:{Key}:fq") == 0, "the entries left in Redis are taken");

        var page = await Tree.ChangesAsync("/s", head);
        page.Changes.Where(c => c.Path == "/s/left.txt").ShouldHaveSingleItem().Id.ShouldBe("x2");
        page.Changes.ShouldNotContain(c => c.Path == "/s/again.txt", "an entry the feed took already is not logged twice");
        (await Tree.ChangesAsync("/", 0)).Changes.Count(c => c.Path == "/s/first.txt").ShouldBe(1);
    }

    [Fact]
    public async Task Create_FeedOff_NothingKeptInRedis()
    {
        if (Unavailable) return;

        await using var tree = await TreeService.OpenAsync(new TreeOptions
        {
            DataPath = Folder.Combine("off"),
            Storage = Registry,
            Settings = Settings(),
            ReclaimInterval = TimeSpan.Zero,
            ChangeRetention = 0,
        });
        await tree.MountAsync("/s", $"redis({Key}o)", createMissing: true);
        await tree.WriteAsync("/s/a.txt", Bytes(10));

        await using var mux = await ConnectionMultiplexer.ConnectAsync(RedisServer.Configuration);
        (await mux.GetDatabase().KeyExistsAsync($"grove:{Key}o:fq")).ShouldBeFalse();
    }

    [Fact]
    public async Task Create_OnRedisMountPostgresStore_CaughtUpReaderSeesIt()
    {
        if (Unavailable) return;
        var store = await PostgresServer.DatabaseOrSkipAsync(Output);
        if (store is null) return;

        await using var tree = await TreeService.OpenAsync(new TreeOptions
        {
            DataPath = Folder.Combine("pg"),
            Store = store,
            Storage = Registry,
            Settings = Settings(),
            ReclaimInterval = TimeSpan.Zero,
        });
        await tree.MountAsync("/s", $"redis({Key}p)", createMissing: true);
        var head = await tree.ChangeRevisionAsync();
        var f = await tree.WriteAsync("/s/a.txt", Bytes(10));

        var page = await tree.ChangesAsync("/s", head);
        page.Changes.ShouldHaveSingleItem().Id.ShouldBe(f.Id);
    }

    private static byte[] Entry(string path, string id) =>
        System.Text.Encoding.UTF8.GetBytes($$"""{"a":1,"c":[[0,"{{path}}",null,"{{id}}",false,1,null]]}""");
}
