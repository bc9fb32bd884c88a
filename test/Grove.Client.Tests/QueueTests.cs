namespace Grove.Client.Tests;

/// <summary>Queue mounts over HTTP: push, pop, ack, nack, ls, stats and refused receipts.</summary>
public sealed class QueueTests : ClientTestBase
{
    [Fact]
    public async Task PushPopAck_OverHttp_FifoAndTheFileGoes()
    {
        await Admin.MountAsync("/jobs", "mq(jobs)");
        await Admin.PushAsync("/jobs", new MemoryStream("one"u8.ToArray()), name: "1");
        await Admin.PushAsync("/jobs", new MemoryStream("two"u8.ToArray()), name: "2");

        var listing = await Admin.ListQueueAsync("/jobs");
        listing.Stats.Depth.ShouldBe(2);
        listing.Items.Select(m => m.Path).ShouldBe(["/jobs/1", "/jobs/2"]);
        var popped = (await Admin.PopAsync("/jobs", TimeSpan.FromSeconds(30)))!;
        popped.Path.ShouldBe("/jobs/1");
        popped.Receipt.ShouldNotBeNullOrEmpty();
        await Admin.NackAsync("/jobs", popped.Receipt!);
        var again = (await Admin.PopAsync("/jobs"))!;
        again.Path.ShouldBe("/jobs/1");
        await Admin.AckAsync("/jobs", again.Receipt!);

        (await Admin.FindAsync("/jobs/1")).ShouldBeNull();
        (await Admin.QueueStatsAsync()).Single(s => s.Path == "/jobs").Depth.ShouldBe(1);
        (await Admin.PopAsync("/jobs"))!.Path.ShouldBe("/jobs/2");
        (await Admin.PopAsync("/jobs")).ShouldBeNull();
    }

    [Fact]
    public async Task Ack_StaleForeignOrMissingReceipt_RefusedWithItsCode()
    {
        await Admin.MountAsync("/a", "mq");
        await Admin.MountAsync("/b", "mq");
        await Admin.PushAsync("/a", new MemoryStream([1]));
        var held = (await Admin.PopAsync("/a"))!;
        await Admin.AckAsync("/a", held.Receipt!);

        await ShouldBeRefusedAsync(() => Admin.AckAsync("/a", held.Receipt!), 409, "receipt_stale");
        await Admin.PushAsync("/b", new MemoryStream([2]));
        var other = (await Admin.PopAsync("/b"))!;
        await ShouldBeRefusedAsync(() => Admin.AckAsync("/a", other.Receipt!), 400, "receipt_invalid");
        await ShouldBeRefusedAsync(() => Admin.AckAsync("/a", "garbage"), 400, "receipt_invalid");
        await ShouldBeRefusedAsync(() => Admin.PushAsync("/not-a-queue", new MemoryStream([1])), 404, "not_found");
    }

    [Fact]
    public async Task Pop_UserWithoutWriteOnTheQueue_Forbidden()
    {
        await Admin.MountAsync("/private-q", "mq");
        await Admin.SetMetaAsync("/private-q", new Dictionary<string, object?> { ["md"] = 0b111_101_101 });
        await Admin.PushAsync("/private-q", new MemoryStream([1]));
        var bob = await UserAsync("bob");

        await ShouldBeRefusedAsync(() => bob.PopAsync("/private-q"), 403, GroveErrorCode.Forbidden);
        (await bob.ListQueueAsync("/private-q")).Stats.Depth.ShouldBe(1);
    }

    [Fact]
    public async Task PopManyAckMany_OverHttp_BatchClaimedAndAckedWithTheStaleOneReturned()
    {
        await Admin.MountAsync("/batch", "mq");
        await Admin.MountAsync("/idle", "mq");
        foreach (var n in new[] { "1", "2", "3" })
        {
            await Admin.PushAsync("/batch", new MemoryStream([1]), name: n);
        }

        var popped = await Admin.PopManyAsync("/batch", 5, TimeSpan.FromSeconds(30));
        popped.Select(m => m.Path).ShouldBe(["/batch/1", "/batch/2", "/batch/3"]);
        popped.ShouldAllBe(m => !string.IsNullOrEmpty(m.Receipt));
        await Admin.AckAsync("/batch", popped[0].Receipt!);

        var result = await Admin.AckManyAsync("/batch", [.. popped.Select(m => m.Receipt!)]);

        result.Acked.ShouldBe(2);
        result.Stale.ShouldBe([popped[0].Receipt!]);
        (await Admin.PopManyAsync("/batch", 5)).ShouldBeEmpty();
        var stats = await Admin.QueueStatsAsync();
        stats.Single(s => s.Path == "/idle").Depth.ShouldBe(0);
        stats.Single(s => s.Path == "/batch").Depth.ShouldBe(0);
        await ShouldBeRefusedAsync(() => Admin.AckManyAsync("/batch", ["garbage"]), 400, "receipt_invalid");
    }
}
