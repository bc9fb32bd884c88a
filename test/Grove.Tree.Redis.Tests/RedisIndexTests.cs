using System.Text.Json;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Grove.Tree.Redis.Tests;

public sealed class RedisIndexTests(ITestOutputHelper output) : RedisTestBase(output)
{
    [Fact]
    public async Task Mount_RedisIndex_CreateReadMoveDeleteByPathAndId()
    {
        if (Unavailable) return;

        var home = await Tree.MkdirAsync("/sessions");
        await Tree.MountAsync("/sessions", $"redis({Key})");
        var f = await Tree.WriteAsync("/sessions/a/one.bin", Bytes(100_000));

        f.Id.ShouldStartWith(home.Id + ":");
        (await Tree.GetByIdAsync(f.Id)).Path.ShouldBe("/sessions/a/one.bin");
        (await Tree.ReadAllBytesAsync("/sessions/a/one.bin")).ShouldBe(Bytes(100_000));

        await Tree.MoveAsync("/sessions/a/one.bin", "/sessions/b/two.bin");
        (await Tree.FindAsync("/sessions/a/one.bin")).ShouldBeNull();
        (await Tree.ReadAllBytesAsync("/sessions/b/two.bin")).ShouldBe(Bytes(100_000));

        await Tree.DeleteAsync("/sessions/b", recursive: true);
        (await Tree.FindAsync("/sessions/b")).ShouldBeNull();
        (await Tree.ListAsync("/sessions")).Items.Select(o => o.Name).ShouldBe(["a"]);
        (await Tree.FsckAsync()).Consistent.ShouldBeTrue();
    }

    [Fact]
    public async Task List_ManyChildren_KeysetPagesInByteOrder()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/r", $"redis({Key})", createMissing: true);
        string[] names = ["b", "a", "Z", "é", "a1", "0"];
        foreach (var n in names)
        {
            await Tree.MkdirAsync("/r/" + n);
        }

        var first = await Tree.ListAsync("/r", limit: 4);
        var rest = await Tree.ListAsync("/r", after: first.Items[^1].Name, limit: 4);

        first.Items.Concat(rest.Items).Select(o => o.Name).ShouldBe(["0", "Z", "a", "a1", "b", "é"]);
    }

    [Fact]
    public async Task Meta_SetUnsetIncrement_Persisted()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/r", $"redis({Key})", createMissing: true);
        await Tree.WriteAsync("/r/x.txt", "hello"u8.ToArray());
        await Tree.SetMetaAsync("/r/x.txt", new Dictionary<string, object?> { ["color"] = "red", ["size"] = 3 });
        (await Tree.IncrementAsync("/r/x.txt", "hits", 5)).ShouldBe(5);
        (await Tree.IncrementAsync("/r/x.txt", "hits")).ShouldBe(6);
        await Tree.SetMetaAsync("/r/x.txt", new Dictionary<string, object?>(), unset: ["size"]);

        var o = await Tree.GetAsync("/r/x.txt");
        o.Meta["color"].GetString().ShouldBe("red");
        o.Meta["hits"].GetInt64().ShouldBe(6);
        o.Meta.ContainsKey("size").ShouldBeFalse();
    }

    [Fact]
    public async Task Query_OverDirectoryChildren_FiltersAndSorts()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/shop", $"redis({Key})", createMissing: true);
        for (var i = 0; i < 6; i++)
        {
            await Tree.CreateAsync($"/shop/p{i}.json", ObjectRace.File, new CreateOptions
            {
                Meta = new Dictionary<string, JsonElement> { ["price"] = JsonSerializer.SerializeToElement(i * 50) },
            });
        }

        var page = await Tree.QueryAsync(new TreeQuery
        {
            Parent = "/shop",
            Filter = FilterParser.Parse("""{"price":"[100,200]"}"""),
            Sort = [SortKey.Parse("-price")],
        });

        page.Items.Select(o => o.Name).ShouldBe(["p4.json", "p3.json", "p2.json"]);
    }

    [Fact]
    public async Task Create_DuplicateName_AlreadyExists()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/r", $"redis({Key})", createMissing: true);
        await Tree.MkdirAsync("/r/d");
        var e = await Should.ThrowAsync<TreeException>(() => Tree.CreateAsync("/r/d", ObjectRace.File, new CreateOptions { ExistOk = false }));
        e.Code.ShouldBe(TreeErrorCode.AlreadyExists);
    }

    [Fact]
    public async Task Expi_BecomesRedisExpiry_ObjectVanishesOnTime()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/s", $"redis({Key})", createMissing: true);
        // Note that the expiry is real time: connect before it starts and leave a loaded machine room to read the TTL.
        await using var mux = await ConnectionMultiplexer.ConnectAsync(RedisServer.Configuration);
        var expires = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeMilliseconds();
        var o = await Tree.CreateAsync("/s/session", ObjectRace.File, new CreateOptions { Expires = expires });

        var localId = o.Id[(o.Id.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var ttl = await mux.GetDatabase().KeyTimeToLiveAsync($"grove:{Key}:o:{localId}");
        if (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < expires)
        {
            ttl.ShouldNotBeNull("the row carries a Redis expiry");
            ttl.Value.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(2));
        }

        // Another node sharing the Redis (no cached row) sees it vanish; listings go to Redis on every node.
        await using var other = await OpenTreeAsync(Settings(), "other");
        await other.MountAsync("/s", $"redis({Key})", createMissing: true);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await Tree.ListAsync("/s")).Items.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        (await Tree.ListAsync("/s")).Items.ShouldBeEmpty();
        (await other.FindAsync("/s/session")).ShouldBeNull();
        await other.CreateAsync("/s/session", ObjectRace.File);
        (await other.FindAsync("/s/session")).ShouldNotBeNull();
    }

    [Fact]
    public async Task TwoNodes_ShareOneRedis_SeeEachOthersObjects()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/shared", $"redis({Key})://redis({Key})", createMissing: true);
        await using var other = await OpenTreeAsync(Settings(), "other");
        await other.MountAsync("/shared", $"redis({Key})://redis({Key})", createMissing: true);

        await Tree.WriteAsync("/shared/from-a.txt", Bytes(70_000, 2));
        (await other.ReadAllBytesAsync("/shared/from-a.txt")).ShouldBe(Bytes(70_000, 2));
        await other.DeleteAsync("/shared/from-a.txt");
        (await Tree.ListAsync("/shared")).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_SameNameFromTwoNodesAtOnce_ExactlyOneWins()
    {
        if (Unavailable) return;

        await Tree.MountAsync("/race", $"redis({Key})", createMissing: true);
        await using var other = await OpenTreeAsync(Settings(), "other");
        await other.MountAsync("/race", $"redis({Key})", createMissing: true);

        var attempts = Enumerable.Range(0, 16).Select(async i =>
        {
            try
            {
                await (i % 2 == 0 ? Tree : other).CreateAsync("/race/one", ObjectRace.File, new CreateOptions { ExistOk = false });
                return true;
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.AlreadyExists)
            {
                return false;
            }
        });

        (await Task.WhenAll(attempts)).Count(won => won).ShouldBe(1);
        (await other.ListAsync("/race")).Items.Select(o => o.Name).ShouldBe(["one"]);
    }
}
