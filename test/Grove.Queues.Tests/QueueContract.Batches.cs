namespace Grove.Queues.Tests;

/// <summary>Batched claims and acks, and the stats of every queue, on each store.</summary>
public abstract partial class QueueContract
{
    private async Task PushNamedAsync(string queue, params string[] names)
    {
        foreach (var n in names)
        {
            await Queues.PushAsync(queue, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(n)), name: n);
        }
    }

    [Fact]
    public async Task ClaimMany_FivePushedMaxThree_OldestThreeEachWithItsOwnReceipt()
    {
        if (Unavailable) return;
        await PushNamedAsync("/q", "e", "d", "c", "b", "a");

        var claimed = await Queues.ClaimManyAsync("/q", 3);

        claimed.Select(c => c.Message.Path).ShouldBe(["/q/e", "/q/d", "/q/c"]);
        claimed.Select(c => c.Receipt).Distinct().Count().ShouldBe(3);
        claimed.ShouldAllBe(c => c.Message.Deliveries == 1);
        (await Queues.StatsAsync("/q")).InFlight.ShouldBe(3);
        (await Queues.ClaimManyAsync("/q", 10)).Select(c => c.Message.Path).ShouldBe(["/q/b", "/q/a"]);
        (await Queues.ClaimManyAsync("/q", 10)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AckMany_ThreeReceipts_AllAckedInOneCallAndTheirFilesGone()
    {
        if (Unavailable) return;
        await PushNamedAsync("/q", "a", "b", "c", "d");
        var claimed = await Queues.ClaimManyAsync("/q", 3);

        var result = await Queues.AckManyAsync("/q", [.. claimed.Select(c => c.Receipt)]);

        result.Acked.ShouldBe(3);
        result.Stale.ShouldBeEmpty();
        (await Tree.ListAsync("/q")).Items.Where(o => !o.IsDir).Select(o => o.Name).ShouldBe(["d"]);
        (await Queues.ListAsync("/q")).Select(m => m.Path).ShouldBe(["/q/d"]);
    }

    [Fact]
    public async Task AckMany_OneReceiptTimedOutAndClaimedAgain_OthersAckedAndTheStaleOneReturned()
    {
        if (Unavailable) return;
        await PushNamedAsync("/q", "a", "b");
        var early = (await Queues.ClaimAsync("/q", TimeSpan.FromSeconds(5)))!;
        Clock.Advance(TimeSpan.FromSeconds(6));
        var now = await Queues.ClaimManyAsync("/q", 2, TimeSpan.FromMinutes(1));
        now.Select(c => c.Message.Path).ShouldBe(["/q/a", "/q/b"]);

        var result = await Queues.AckManyAsync("/q", [early.Receipt, now[1].Receipt]);

        result.Acked.ShouldBe(1);
        result.Stale.ShouldBe([early.Receipt]);
        (await Tree.FindAsync("/q/a")).ShouldNotBeNull();
        (await Tree.FindAsync("/q/b")).ShouldBeNull();
        await Queues.AckAsync("/q", now[0].Receipt);
    }

    [Fact]
    public async Task AckMany_ForeignReceiptAmongThem_RefusedAsInvalidAndNothingAcked()
    {
        if (Unavailable) return;
        await Tree.MountAsync("/other", "mq", createMissing: true);
        await PushNamedAsync("/other", "x");
        await PushNamedAsync("/q", "a");
        var foreign = (await Queues.ClaimAsync("/other"))!;
        var own = (await Queues.ClaimAsync("/q"))!;

        var e = await Should.ThrowAsync<QueueException>(() => Queues.AckManyAsync("/q", [own.Receipt, foreign.Receipt]));

        e.Code.ShouldBe(QueueErrorCode.ReceiptInvalid);
        (await Tree.FindAsync("/q/a")).ShouldNotBeNull();
        (await Tree.FindAsync("/other/x")).ShouldNotBeNull();
        (await Should.ThrowAsync<QueueException>(() => Queues.AckManyAsync("/q", [own.Receipt, "forged"]))).Code.ShouldBe(QueueErrorCode.ReceiptInvalid);
        (await Should.ThrowAsync<QueueException>(() => Queues.ClaimManyAsync("/q", 0))).Code.ShouldBe(QueueErrorCode.InvalidArgument);
        await Queues.AckAsync("/q", own.Receipt);
    }

    [Fact]
    public async Task Ack_ReceiptThisNodeHeldButAnotherNodeClaimedAgain_RefusedAsStale()
    {
        if (Unavailable || Store is null) return;
        var (otherTree, other) = await NodeAsync("b");
        await PushNamedAsync("/q", "a");
        var mine = (await Queues.ClaimAsync("/q", TimeSpan.FromSeconds(5)))!;
        Clock.Advance(TimeSpan.FromSeconds(6));
        var theirs = (await other.ClaimAsync("/q", TimeSpan.FromMinutes(1)))!;

        (await Should.ThrowAsync<QueueException>(() => Queues.AckAsync("/q", mine.Receipt))).Code.ShouldBe(QueueErrorCode.ReceiptStale);
        (await Should.ThrowAsync<QueueException>(() => Queues.NackAsync("/q", mine.Receipt))).Code.ShouldBe(QueueErrorCode.ReceiptStale);

        (await Tree.FindAsync("/q/a")).ShouldNotBeNull();
        await other.AckAsync("/q", theirs.Receipt);
        (await otherTree.FindAsync("/q/a")).ShouldBeNull("read your writes on the acking node");
        (await Tree.FindAsync("/q/a")).ShouldBeNull("a queue's files are never cached, so no node waits for a notice");
    }

    [Fact]
    public async Task AllStats_EmptyQueues_ListedWithDepthZero()
    {
        if (Unavailable) return;
        await Tree.MountAsync("/empty", "mq(e)", createMissing: true);
        await Tree.MountAsync("/deep/er", "mq", createMissing: true);
        await PushNamedAsync("/q", "a");

        var all = await Queues.AllStatsAsync();

        all.Select(s => s.Path).ShouldBe(["/deep/er", "/empty", "/q"]);
        all.Single(s => s.Path == "/empty").ShouldBe(new QueueStats("/empty", 0, 0, null));
        all.Single(s => s.Path == "/q").Depth.ShouldBe(1);
    }
}
