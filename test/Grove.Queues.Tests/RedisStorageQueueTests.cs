namespace Grove.Queues.Tests;

/// <summary>What only a queue with <c>redis(Name)</c> storage does: its pushes are one script, within the storage's cap.</summary>
public sealed partial class RedisStorageQueueTests
{
    [Fact]
    public async Task Push_QueueWithRedisStorage_ContentInlineInTheMessagesOneRow()
    {
        if (Unavailable) return;
        var pushed = await Queues.PushAsync("/r/q", Text("hello"), name: "m", user: "ann");

        var file = await Tree.GetAsync("/r/q/m");
        file.Id.ShouldBe(pushed.Id);
        file.Creator.ShouldBe("ann");
        file.Length.ShouldBe(5);
        var db = await DbAsync();
        (await db.KeyExistsAsync("grove:bm:jobs:" + file.Sha256)).ShouldBeFalse();
        (await db.HashGetAsync($"grove:{Key}:o:{file.Id.Split(':')[^1]}", "inl")).ToString().ShouldBe("hello");
        (await Tree.ReadAllBytesAsync("/r/q/m")).ShouldBe("hello"u8.ToArray());
        (await Tree.ReadAllBytesAsync((await Tree.GetByIdAsync(pushed.Id)).Path!)).ShouldBe("hello"u8.ToArray());
    }

    [Fact]
    public async Task Push_NameTaken_OverwritesTheQueuedFileAndEnqueuesNothing()
    {
        if (Unavailable) return;
        var first = await Queues.PushAsync("/r/q", Text("old"), name: "m");

        var again = await Queues.PushAsync("/r/q", Text("new"), name: "m");

        again.Id.ShouldBe(first.Id);
        again.Sequence.ShouldBe(first.Sequence);
        (await Queues.ListAsync("/r/q")).Count.ShouldBe(1);
        (await Tree.ReadAllBytesAsync("/r/q/m")).ShouldBe("new"u8.ToArray());
    }

    [Fact]
    public async Task Push_OverTheStorageCap_RefusedAndNothingQueued()
    {
        if (Unavailable) return;

        var e = await Should.ThrowAsync<TreeException>(() => Queues.PushAsync("/r/q", new MemoryStream(new byte[MaxBlobBytes + 1]), name: "big"));

        e.Code.ShouldBe(TreeErrorCode.ContentTooLarge);
        (await Queues.ListAsync("/r/q")).ShouldBeEmpty();
        (await Tree.FindAsync("/r/q/big")).ShouldBeNull();
    }
}
