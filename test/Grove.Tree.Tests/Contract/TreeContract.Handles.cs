namespace Grove.Tree.Tests.Contract;

public abstract partial class TreeContract
{
    [Fact]
    public async Task WriteHandle_Commit_SetsContentLengthHashAtomically()
    {
        if (StoreUnavailable) return;

        await using var h = await Tree.OpenWriteAsync("/h/file.bin");
        var part1 = Bytes(100_000, 1);
        var part2 = Bytes(50_000, 2);
        await h.WriteAsync(part1);
        (await Tree.GetAsync("/h/file.bin")).Length.ShouldBe(0);
        await h.WriteAsync(part2);
        var done = await h.CommitAsync();

        var all = part1.Concat(part2).ToArray();
        done.Length.ShouldBe(all.Length);
        done.Sha256.ShouldBe(Sha(all));
        (await Tree.ReadAllBytesAsync("/h/file.bin")).ShouldBe(all);
    }

    [Fact]
    public async Task WriteHandle_Second_ThrowsHandleBusy_ReadersStillRead()
    {
        if (StoreUnavailable) return;

        await Tree.WriteAsync("/busy", "old"u8.ToArray());
        await using var first = await Tree.OpenWriteAsync("/busy");

        await Fails(TreeErrorCode.HandleBusy, () => Tree.OpenWriteAsync("/busy"));
        await Fails(TreeErrorCode.HandleBusy, () => Tree.WriteAsync("/busy", "x"u8.ToArray()));
        (await Tree.ReadAllBytesAsync("/busy")).ShouldBe("old"u8.ToArray());
    }

    [Fact]
    public async Task WriteHandle_Abandoned_LeavesPreviousContentAndFreesFile()
    {
        if (StoreUnavailable) return;

        await Tree.WriteAsync("/ab", "previous"u8.ToArray());
        var h = await Tree.OpenWriteAsync("/ab");
        await h.WriteAsync(Bytes(80_000));
        await h.DisposeAsync();

        (await Tree.ReadAllBytesAsync("/ab")).ShouldBe("previous"u8.ToArray());
        await using var next = await Tree.OpenWriteAsync("/ab");
        next.Token.ShouldBeGreaterThan(h.Token);
    }

    [Fact]
    public async Task WriteHandle_ExpiredAndTakenOver_OldCommitIsFencedOff()
    {
        if (StoreUnavailable) return;

        await Tree.WriteAsync("/fence", "v0"u8.ToArray());
        var old = await Tree.OpenWriteAsync("/fence");
        await old.WriteAsync("stale"u8.ToArray());

        Clock.Advance(TimeSpan.FromSeconds(61));
        var fresh = await Tree.OpenWriteAsync("/fence");
        await fresh.WriteAsync("fresh"u8.ToArray());
        await fresh.CommitAsync();

        await Fails(TreeErrorCode.HandleLost, () => old.CommitAsync());
        (await Tree.ReadAllBytesAsync("/fence")).ShouldBe("fresh"u8.ToArray());
    }

    [Fact]
    public async Task WriteHandle_ExpiredButNotTakenOver_StillCommits()
    {
        if (StoreUnavailable) return;

        var h = await Tree.OpenWriteAsync("/late");
        await h.WriteAsync("late"u8.ToArray());
        Clock.Advance(TimeSpan.FromMinutes(5));
        (await h.CommitAsync()).Length.ShouldBe(4);
    }

    [Fact]
    public async Task WriteHandle_ModifyWithSeek_RewritesInPlaceWithCorrectHash()
    {
        if (StoreUnavailable) return;

        var original = Bytes(200_000, 9);
        await Tree.WriteAsync("/seek", original);
        await using var h = await Tree.OpenWriteAsync("/seek", WriteMode.Modify);
        h.Position.ShouldBe(0);
        h.Seek(1000, SeekOrigin.Begin);
        await h.WriteAsync(new byte[] { 1, 2, 3 });
        h.Seek(0, SeekOrigin.End);
        await h.WriteAsync(new byte[] { 9 });
        var done = await h.CommitAsync();

        var expected = original.ToArray();
        expected[1000] = 1;
        expected[1001] = 2;
        expected[1002] = 3;
        expected = [.. expected, 9];
        done.Sha256.ShouldBe(Sha(expected));
        (await Tree.ReadAllBytesAsync("/seek")).ShouldBe(expected);
    }

    [Fact]
    public async Task WriteHandle_Append_ContinuesAtEnd()
    {
        if (StoreUnavailable) return;

        await Tree.WriteAsync("/log.txt", "a\n"u8.ToArray());
        await using (var h = await Tree.OpenWriteAsync("/log.txt", WriteMode.Append))
        {
            await h.WriteAsync("b\n"u8.ToArray());
            await h.CommitAsync();
        }

        (await Tree.ReadAllBytesAsync("/log.txt")).ShouldBe("a\nb\n"u8.ToArray());
    }

    [Fact]
    public async Task Locks_SecondTaker_WaitsUntilReleaseOrTimesOut()
    {
        if (StoreUnavailable) return;

        var first = await Tree.Locks.AcquireAsync("job", TimeSpan.FromMinutes(1));
        (await Tree.Locks.TryAcquireAsync("job", TimeSpan.FromMinutes(1))).ShouldBeNull();
        var waiting = Tree.Locks.AcquireAsync("job", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        waiting.IsCompleted.ShouldBeFalse();

        await first.DisposeAsync();
        var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        second.Token.ShouldBeGreaterThan(first.Token);
        first.IsHeld.ShouldBeFalse();
        await Fails(TreeErrorCode.LockTimeout, () => Tree.Locks.AcquireAsync("job", TimeSpan.FromMinutes(1), TimeSpan.Zero));
    }
}
