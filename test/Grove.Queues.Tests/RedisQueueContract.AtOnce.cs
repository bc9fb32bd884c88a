using System.Collections.Concurrent;

namespace Grove.Queues.Tests;

/// <summary>Calls made at once on one node: each answered on its own, no message lost or delivered twice.</summary>
public abstract partial class RedisQueueContract
{
    [Fact]
    public async Task PushClaimAck_SixteenConsumersAtOnce_EachMessageDeliveredOnceAndNothingLeft()
    {
        if (Unavailable) return;
        var pushed = new ConcurrentBag<long>();
        var acked = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                pushed.Add((await Queues.PushAsync("/r/q", new MemoryStream([(byte)w, (byte)i]), name: $"w{w:D2}-{i:D2}")).Sequence);
                ClaimedMessage? m = null;
                await Poll.UntilAsync(async () => (m = await Queues.ClaimAsync("/r/q")) is not null, "a message to claim", 20);
                await Queues.AckAsync("/r/q", m!.Receipt);
                acked.Add(m.Message.Path);
            }
        })));

        pushed.Distinct().Count().ShouldBe(400);
        acked.Count.ShouldBe(400);
        acked.Distinct().Count().ShouldBe(400);
        (await Queues.ListAsync("/r/q")).ShouldBeEmpty();
        (await Tree.ListAsync("/r/q")).Items.Where(o => !o.IsDir).ShouldBeEmpty();
    }

    [Fact]
    public async Task Push_ManyAtOnceOneOnATakenName_EachAFileOfItsOwnAndTheTakenOneOverwritten()
    {
        if (Unavailable) return;
        var first = await Queues.PushAsync("/r/q", new MemoryStream([1]), name: "same");
        var pushed = await Task.WhenAll(Enumerable.Range(0, 31).Select(i => Task.Run(() =>
            Queues.PushAsync("/r/q", new MemoryStream([(byte)(i + 10)]), name: i == 15 ? "same" : $"m{i:D2}"))));

        var listed = await Queues.ListAsync("/r/q");
        listed.Count.ShouldBe(31);
        listed.Select(m => m.Sequence).ShouldBeInOrder(SortDirection.Ascending);
        listed[0].Path.ShouldBe("/r/q/same");
        listed[0].Sequence.ShouldBe(first.Sequence);
        foreach (var p in pushed.Where(p => p.Path != "/r/q/same"))
        {
            listed.Single(m => m.Path == p.Path).Sequence.ShouldBe(p.Sequence);
        }

        (await Tree.ReadAllBytesAsync("/r/q/same")).ShouldBe([(byte)25]);
    }

    [Fact]
    public async Task Ack_ManyAtOnceStaleOnesAmongThem_EachAnsweredOnItsOwn()
    {
        if (Unavailable) return;
        for (var i = 0; i < 20; i++)
        {
            await Queues.PushAsync("/r/q", new MemoryStream([(byte)i]), name: $"m{i:D2}");
        }

        var claimed = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Queues.ClaimAsync("/r/q"))));
        claimed.ShouldAllBe(c => c != null);
        claimed.Select(c => c!.Message.Path).Distinct().Count().ShouldBe(20);
        var used = claimed.Take(5).Select(c => c!.Receipt).ToHashSet();
        foreach (var r in used)
        {
            await Queues.AckAsync("/r/q", r);
        }

        var outcomes = await Task.WhenAll(claimed.Select(c => Task.Run(async () =>
        {
            try
            {
                await Queues.AckAsync("/r/q", c!.Receipt);
                return (c.Receipt, Code: (string?)null);
            }
            catch (QueueException e)
            {
                return (c!.Receipt, Code: (string?)e.Code);
            }
        })));

        outcomes.Where(o => o.Code == QueueErrorCode.ReceiptStale).Select(o => o.Receipt).ShouldBe(used, ignoreOrder: true);
        outcomes.Count(o => o.Code is null).ShouldBe(15);
        (await Queues.ListAsync("/r/q")).ShouldBeEmpty();
    }
}
