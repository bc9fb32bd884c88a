using System.Security.Cryptography;
using StackExchange.Redis;

namespace Grove.Queues.Tests;

/// <summary>The layout of a message pushed by script (content inline in its row) beside messages of the layout before.</summary>
public sealed partial class RedisStorageQueueTests
{
    [Fact]
    public async Task Claim_MessagePushedByTheLayoutBefore_DeliveredReadAndAckedReleasingItsBlob()
    {
        if (Unavailable) return;
        await Queues.PushAsync("/r/q", Text("new"), name: "a");
        var queueId = (await Tree.GetAsync("/r/q")).Id.Split(':')[^1];
        var (oldId, sha) = await PushAsTheLayoutBeforeAsync(queueId, "b", "old content");

        (await Tree.ListAsync("/r/q")).Items.Where(o => !o.IsDir).Select(o => o.Name).ShouldBe(["a", "b"]);
        (await Tree.ReadAllBytesAsync("/r/q/b")).ShouldBe("old content"u8.ToArray());
        var first = (await Queues.ClaimAsync("/r/q"))!;
        var second = (await Queues.ClaimAsync("/r/q"))!;
        first.Message.Path.ShouldBe("/r/q/a");
        second.Message.Path.ShouldBe("/r/q/b");
        second.Message.Id.ShouldEndWith(oldId);
        (await Tree.ReadAllBytesAsync(second.Message.Path)).ShouldBe("old content"u8.ToArray());

        await Queues.AckAsync("/r/q", first.Receipt);
        await Queues.AckAsync("/r/q", second.Receipt);

        var db = await DbAsync();
        (await Tree.FindAsync("/r/q/b")).ShouldBeNull();
        (await db.HashGetAsync($"grove:{Key}:b:redis:jobs", sha)).ToString().ShouldStartWith("11|0|");
        (await db.HashLengthAsync($"grove:{Key}:mq:{queueId}:o")).ShouldBe(0);
        (await Queues.StatsAsync("/r/q")).Depth.ShouldBe(0);
        var report = await Tree.FsckAsync(repair: false, removeOrphans: false);
        report.Consistent.ShouldBeTrue(string.Join(", ", report.CountMismatches));
    }

    [Fact]
    public async Task Move_InlineMessageOutAndBack_QueuedOnceMoreWithItsContentAndAckedOnce()
    {
        if (Unavailable) return;
        var pushed = await Queues.PushAsync("/r/q", Text("travels"), name: "m");
        await Tree.MoveAsync("/r/q/m", "/r/out");
        (await Queues.StatsAsync("/r/q")).Depth.ShouldBe(0);

        await Tree.MoveAsync("/r/out", "/r/q/m");

        var claimed = (await Queues.ClaimAsync("/r/q"))!;
        claimed.Message.Id.ShouldBe(pushed.Id);
        claimed.Message.Sequence.ShouldNotBe(pushed.Sequence);
        (await Tree.ReadAllBytesAsync("/r/q/m")).ShouldBe("travels"u8.ToArray());
        await Queues.AckAsync("/r/q", claimed.Receipt);
        (await Tree.FindAsync("/r/q/m")).ShouldBeNull();
        var queueId = (await Tree.GetAsync("/r/q")).Id.Split(':')[^1];
        (await (await DbAsync()).HashLengthAsync($"grove:{Key}:mq:{queueId}:o")).ShouldBe(0);
        (await Queues.StatsAsync("/r/q")).Depth.ShouldBe(0);
    }

    [Fact]
    public async Task Write_OverAnInlineMessage_ContentGoesToTheStorageAndFsckAgrees()
    {
        if (Unavailable) return;
        var pushed = await Queues.PushAsync("/r/q", Text("inline"), name: "m");

        await Tree.WriteAsync("/r/q/m", Text("rewritten"));

        var db = await DbAsync();
        var row = (RedisKey)$"grove:{Key}:o:{pushed.Id.Split(':')[^1]}";
        (await db.HashExistsAsync(row, "inl")).ShouldBeFalse();
        var file = await Tree.GetAsync("/r/q/m");
        (await db.KeyExistsAsync("grove:bm:jobs:" + file.Sha256)).ShouldBeTrue();
        (await Tree.ReadAllBytesAsync("/r/q/m")).ShouldBe("rewritten"u8.ToArray());
        (await Tree.FsckAsync(repair: false, removeOrphans: false)).Consistent.ShouldBeTrue();
        var claimed = (await Queues.ClaimAsync("/r/q"))!;
        await Queues.AckAsync("/r/q", claimed.Receipt);
        (await db.HashGetAsync($"grove:{Key}:b:redis:jobs", file.Sha256)).ToString().ShouldStartWith("9|0|");
    }

    /// <summary>
    /// A message as the push script before stored it: its row naming a blob of <c>redis(jobs)</c> (referenced, in the
    /// content listing), the blob, and an entry whose number is in <c>o</c>.
    /// </summary>
    private async Task<(string Id, string Sha)> PushAsTheLayoutBeforeAsync(string queueId, string name, string text)
    {
        var db = await DbAsync();
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var id = ObjectIds.New();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var json = ObjectJson.ToJson(new TreeObject
        {
            Id = id, ParentId = queueId, Name = name, Race = ObjectRace.File, Type = TreeNames.TypeOf(name), Mime = TreeNames.MimeOf(name),
            Length = bytes.Length, Sha256 = sha, Mode = 0b110_100_100, Created = now, Modified = now, Version = 1,
        });
        var p = $"grove:{Key}:";
        var q = $"{p}mq:{queueId}:";
        await db.HashSetAsync($"{p}n:{queueId}", name, id);
        await db.HashSetAsync($"{p}o:{id}", [new("id", id), new("pid", queueId), new("nm", name), new("v", "1"), new("bk", "redis:jobs"), new("j", json)]);
        await db.SortedSetAddAsync($"{p}c:{queueId}", name, 0);
        await db.SortedSetAddAsync($"{p}f", id, 0);
        await db.HashSetAsync($"{p}b:redis:jobs", sha, $"{bytes.Length}|1|");
        await db.HashSetAsync("grove:bm:jobs:" + sha, [new("d", bytes), new("t", now)]);
        var n = await db.StringIncrementAsync(q + "seq");
        await db.StreamAddAsync(q + "s", [new("obj", id), new("enq", now)], $"{n}-1");
        await db.HashSetAsync(q + "o", id, n);
        return (id, sha);
    }
}
