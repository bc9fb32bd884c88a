namespace Grove.Client.Tests;

/// <summary>Admin operations: mounts, fsck, the expiry sweep.</summary>
public sealed class AdminTests : ClientTestBase
{
    [Fact]
    public async Task MountAsync_MemIndex_ObjectsLiveThereUntilUnmount()
    {
        await Admin.MkdirAsync("/scratch");

        var mounted = await Admin.MountAsync("/scratch", "mem");
        mounted.Mount.ShouldBe("mem");
        var inside = await Admin.UploadAsync("/scratch/t.txt", new MemoryStream("t"u8.ToArray()));
        inside.Id.ShouldContain(":");
        (await Admin.StatByIdAsync(inside.Id)).Path.ShouldBe("/scratch/t.txt");

        var unmounted = await Admin.UnmountAsync("/scratch");
        unmounted.Mount.ShouldBeNull();
        await ShouldBeRefusedAsync(() => Admin.MountAsync("/other", "mongo"), 501, GroveErrorCode.MountUnsupported);
        await ShouldBeRefusedAsync(() => Admin.MountAsync("/other", "dao(x)"), 404, GroveErrorCode.NotFound);
        await ShouldBeRefusedAsync(() => Admin.MountAsync("/other", "bogus((("), 400, GroveErrorCode.InvalidMount);
    }

    [Fact]
    public async Task FsckAsync_AfterWrites_ReportsConsistentStore()
    {
        await Admin.UploadAsync("/f/big.bin", new MemoryStream(new byte[200_000]));

        var report = await Admin.FsckAsync();

        report.Consistent.ShouldBeTrue();
        report.RowsChecked.ShouldBeGreaterThanOrEqualTo(1);
        report.Dangling.ShouldBeEmpty();
        (await Admin.FsckAsync(repair: true, keepOrphans: true)).Consistent.ShouldBeTrue();
    }

    [Fact]
    public async Task SweepAsync_ExpiredObject_IsRemoved()
    {
        await Admin.UploadAsync("/tmp/old.txt", new MemoryStream("o"u8.ToArray()));
        await Admin.UploadAsync("/tmp/new.txt", new MemoryStream("n"u8.ToArray()));
        await Admin.SetMetaAsync("/tmp/old.txt", new Dictionary<string, object?> { ["expi"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds() });

        (await Admin.SweepAsync()).ShouldBe(1);

        (await Admin.FindAsync("/tmp/old.txt")).ShouldBeNull();
        (await Admin.FindAsync("/tmp/new.txt")).ShouldNotBeNull();
    }
}
