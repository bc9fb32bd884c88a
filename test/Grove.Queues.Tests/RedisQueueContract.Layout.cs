using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Grove.Queues.Tests;

public abstract partial class RedisQueueContract
{
    [Fact]
    public async Task Claim_AfterAGroveRestart_TheMessageAndItsContentAreStillInRedis()
    {
        if (Unavailable) return;
        var pushed = await Queues.PushAsync("/r/q", Text("kept"), name: "m");
        foreach (var o in Enumerable.Reverse(Opened).ToList())
        {
            await o.DisposeAsync();
            Opened.Remove(o);
        }

        (Tree, Queues) = await NodeAsync("a");

        var claimed = (await Queues.ClaimAsync("/r/q"))!;
        claimed.Message.Id.ShouldBe(pushed.Id);
        claimed.Message.Sequence.ShouldBe(pushed.Sequence);
        (await Tree.ReadAllBytesAsync(claimed.Message.Path)).ShouldBe("kept"u8.ToArray());
        await Queues.AckAsync("/r/q", claimed.Receipt);
        (await Tree.FindAsync("/r/q/m")).ShouldBeNull();
    }

    [Fact]
    public async Task Claim_TwoNodesSharingRedisWithoutAcks_NeverBothGetOneMessage()
    {
        if (Unavailable) return;
        var (otherTree, other) = await NodeAsync("b");
        await otherTree.MountAsync("/r", $"redis({Key})", createMissing: true);
        for (var i = 0; i < 30; i++)
        {
            await (i % 2 == 0 ? Queues : other).PushAsync("/r/q", new MemoryStream([(byte)i]), name: $"m{i:D3}");
        }

        var got = new ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var q = i % 2 == 0 ? Queues : other;
            while (await q.ClaimAsync("/r/q", TimeSpan.FromMinutes(5)) is { } m)
            {
                got.Add(m.Message.Sequence);
            }
        })));

        got.Count.ShouldBe(30);
        got.Distinct().Count().ShouldBe(30);
        (await Queues.StatsAsync("/r/q")).InFlight.ShouldBe(30);
    }

    [Fact]
    public async Task AllStats_QueueInARedisMountNeverUsed_ListedEmpty()
    {
        if (Unavailable) return;
        await Tree.MountAsync("/r/idle", "mq", createMissing: true);

        var all = await Queues.AllStatsAsync();

        all.ShouldContain(s => s.Path == "/r/idle" && s.Depth == 0 && s.Oldest == null);
        all.ShouldContain(s => s.Path == "/r/q");
    }

    [Fact]
    public async Task List_PushedClaimedAndRenamed_TheTreeListsStatsAndReadsEachMessage()
    {
        if (Unavailable) return;
        await Queues.PushAsync("/r/q", Text("one"), name: "b.txt");
        await Queues.PushAsync("/r/q", Text("two"), name: "a.txt");
        await Queues.ClaimAsync("/r/q");

        var listed = (await Tree.ListAsync("/r/q")).Items.Where(o => !o.IsDir).ToList();

        listed.Select(o => o.Name).ShouldBe(["a.txt", "b.txt"]);
        listed.ShouldAllBe(o => o.Length == 3 && o.Mime == "text/plain");
        (await Tree.ReadAllBytesAsync("/r/q/a.txt")).ShouldBe("two"u8.ToArray());
        (await Tree.GetByIdAsync(listed[0].Id)).Path.ShouldBe("/r/q/a.txt");
        await Tree.MoveAsync("/r/q/a.txt", "/r/q/c.txt");
        (await Queues.ListAsync("/r/q")).Select(m => m.Path).ShouldBe(["/r/q/b.txt", "/r/q/c.txt"]);
    }

    [Fact]
    public async Task Fsck_AfterPushesAcksAndADeadLetter_ReferenceCountsAgree()
    {
        if (Unavailable) return;
        for (var i = 0; i < 5; i++)
        {
            await Queues.PushAsync("/r/q", Text(i % 2 == 0 ? "same" : "other" + i), name: $"m{i}");
        }

        for (var i = 0; i < 3; i++)
        {
            var c = (await Queues.ClaimAsync("/r/q"))!;
            await Queues.AckAsync("/r/q", c.Receipt);
        }

        var report = await Tree.FsckAsync(repair: false, removeOrphans: false);

        report.Consistent.ShouldBeTrue($"dangling: {string.Join(", ", report.Dangling)}; counts: {string.Join(", ", report.CountMismatches)}");
        (await Queues.ListAsync("/r/q")).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Claim_QueueNeverPushedTo_NullAndNoStreamMade()
    {
        if (Unavailable) return;
        await Tree.MountAsync("/r/fresh", "mq", createMissing: true);
        var id = (await Tree.GetAsync("/r/fresh")).Id.Split(':')[^1];

        (await Queues.ClaimAsync("/r/fresh")).ShouldBeNull();

        (await (await DbAsync()).KeyExistsAsync($"grove:{Key}:mq:{id}:s")).ShouldBeFalse();
        (await Queues.StatsAsync("/r/fresh")).Depth.ShouldBe(0);
    }

    [Fact]
    public async Task Claim_ReadWithoutAPendingList_TheClaimIsALineOfRAndListedWithItsDeliveries()
    {
        if (Unavailable) return;
        await Queues.PushAsync("/r/q", Text("one"), name: "m");
        var claimed = (await Queues.ClaimAsync("/r/q"))!;
        var db = await DbAsync();
        var prefix = $"grove:{Key}:mq:{(await Tree.GetAsync("/r/q")).Id.Split(':')[^1]}:";
        var entry = claimed.Message.Sequence + "-1";

        var pending = (RedisResult[])(await db.ExecuteAsync("XPENDING", prefix + "s", "g"))!;
        var line = (await db.HashGetAsync(prefix + "r", entry)).ToString().Split('|');
        var listed = (await Queues.ListAsync("/r/q")).Single();

        ((long)pending[0]).ShouldBe(0);
        line[0].ShouldBe(claimed.Receipt[(claimed.Receipt.IndexOf('.') + 1)..]);
        line[2].ShouldBe("1");
        line[4].ShouldBe(claimed.Message.Id.Split(':')[^1]);
        listed.Deliveries.ShouldBe(1);
        (await Queues.StatsAsync("/r/q")).InFlight.ShouldBe(1);
        await Queues.NackAsync("/r/q", claimed.Receipt);
        (await Queues.StatsAsync("/r/q")).InFlight.ShouldBe(0);
        var again = (await Queues.ClaimAsync("/r/q"))!;
        again.Message.Deliveries.ShouldBe(2);
        (await Queues.ListAsync("/r/q")).Single().Deliveries.ShouldBe(2);
        await Queues.AckAsync("/r/q", again.Receipt);
        (await db.HashLengthAsync(prefix + "r")).ShouldBe(0);
        (await db.StreamLengthAsync(prefix + "s")).ShouldBe(0);
        (await db.SortedSetLengthAsync(prefix + "dl")).ShouldBe(0);
    }
}
