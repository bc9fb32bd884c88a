namespace Grove.Tree.Tests.Contract;

/// <summary>The contract on the embedded default: SQLite and a local data folder.</summary>
public sealed class SqliteTreeTests : TreeContract
{
    protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);

    [Fact]
    public async Task Reopen_AfterWrites_KeepsObjectsContentAndMounts()
    {
        await Tree.WriteAsync("/persist/a.bin", Bytes(100_000));
        await Tree.MkdirAsync("/photos");
        await Tree.MountAsync("/photos", "lbm(P)");
        await Tree.WriteAsync("/photos/x", Bytes(70_000, 3));

        await ReopenAsync();

        (await Tree.ReadAllBytesAsync("/persist/a.bin")).ShouldBe(Bytes(100_000));
        (await Tree.ReadAllBytesAsync("/photos/x")).ShouldBe(Bytes(70_000, 3));
        (await Tree.FsckAsync()).Consistent.ShouldBeTrue();
    }

    [Fact]
    public async Task Open_SameFolderTwice_ThrowsStoreLocked()
    {
        var e = await Should.ThrowAsync<TreeException>(() => OpenAsync());
        e.Code.ShouldBe(TreeErrorCode.StoreLocked);
    }

    [Fact]
    public async Task Fsck_OrphanAndDangling_RemovesOldOrphanKeepsYoungReportsDangling()
    {
        var kept = await Tree.WriteAsync("/kept", Bytes(90_000, 1));
        var buck = Path.Combine(Folder.Combine("data"), "buck");
        var orphanSha = new string('a', 64);
        Directory.CreateDirectory(Path.Combine(buck, "aaaa"));
        var orphan = Path.Combine(buck, "aaaa", orphanSha[4..]);
        await File.WriteAllTextAsync(orphan, "never committed");
        File.SetLastWriteTimeUtc(orphan, DateTime.UtcNow.AddDays(-1));
        Clock.Advance(TimeSpan.FromDays(365 * 10));

        var young = Path.Combine(buck, "bbbb", new string('b', 60));
        Directory.CreateDirectory(Path.GetDirectoryName(young)!);
        await File.WriteAllTextAsync(young, "in flight");
        File.SetLastWriteTimeUtc(young, Clock.GetUtcNow().UtcDateTime);

        var report = await Tree.FsckAsync();
        report.OrphansRemoved.ShouldBe(1);
        report.OrphansYoung.ShouldBe(1);
        File.Exists(orphan).ShouldBeFalse();
        File.Exists(young).ShouldBeTrue();
        (await Tree.ReadAllBytesAsync("/kept")).ShouldBe(Bytes(90_000, 1));
        report.Consistent.ShouldBeTrue();

        File.Delete(Path.Combine(buck, kept.Sha256![..4], kept.Sha256[4..]));
        var broken = await Tree.FsckAsync();
        broken.Dangling.ShouldHaveSingleItem().ShouldStartWith("/kept");
        broken.Consistent.ShouldBeFalse();
    }
}

/// <summary>The contract on the in-memory store.</summary>
public sealed class MemTreeTests : TreeContract
{
    protected override Task<string?> StoreAsync() => Task.FromResult<string?>("mem");
}
