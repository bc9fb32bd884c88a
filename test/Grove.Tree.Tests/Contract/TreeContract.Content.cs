namespace Grove.Tree.Tests.Contract;

public abstract partial class TreeContract
{
    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(64 * 1024)]
    [InlineData(64 * 1024 + 1)]
    [InlineData(3 << 20)]
    public async Task Write_ThenRead_RoundTripsContentLengthAndHash(int size)
    {
        if (StoreUnavailable) return;

        var data = Bytes(size);
        var o = await Tree.WriteAsync("/files/blob.bin", data);

        o.Length.ShouldBe(size);
        o.Sha256.ShouldBe(Sha(data));
        (await Tree.ReadAllBytesAsync("/files/blob.bin")).ShouldBe(data);
        (await Tree.GetAsync("/files/blob.bin")).Sha256.ShouldBe(Sha(data));
    }

    [Fact]
    public async Task ConcurrentNewFilesUnderOneMissingDirectory_AllCreated()
    {
        // Regression: a writer that lost the race to create the shared parent answered not_found.
        var files = Enumerable.Range(0, 16).Select(i => ($"/race/sub/f{i:D2}.bin", new byte[5_000 + i])).ToList();

        var written = await Task.WhenAll(files.Select(f => Task.Run(() => Tree.WriteAsync(f.Item1, new MemoryStream(f.Item2)))));

        written.Select(o => o.Length).ShouldBe(files.Select(f => (long)f.Item2.Length));
        (await Tree.ListAsync("/race/sub")).Items.Count.ShouldBe(16);
        (await Tree.ListAsync("/race")).Items.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Write_SameContentTwice_StoresOneBlob()
    {
        if (StoreUnavailable) return;

        var data = Bytes(200_000, seed: 7);
        await Tree.WriteAsync("/one", data);
        await Tree.WriteAsync("/two", data);

        var report = await Tree.FsckAsync();
        report.BlobsChecked.ShouldBe(1);
        report.Consistent.ShouldBeTrue(string.Join("; ", report.CountMismatches));
    }

    [Fact]
    public async Task Write_Replace_ReleasesOldContentForFsck()
    {
        if (StoreUnavailable) return;

        await Tree.WriteAsync("/r", Bytes(100_000, 1));
        await Tree.WriteAsync("/r", Bytes(100_000, 2));

        Clock.Advance(TimeSpan.FromHours(1));
        var report = await Tree.FsckAsync();
        report.OrphansRemoved.ShouldBe(1);
        report.Consistent.ShouldBeTrue();
        (await Tree.ReadAllBytesAsync("/r")).ShouldBe(Bytes(100_000, 2));
    }

    [Fact]
    public async Task Write_IfSha256Mismatch_ThrowsConflictAndKeepsContent()
    {
        if (StoreUnavailable) return;

        await Tree.WriteAsync("/cas", "v1"u8.ToArray());
        await Fails(TreeErrorCode.Conflict, () => Tree.WriteAsync("/cas", "v2"u8.ToArray(), new PutOptions { IfSha256 = new string('0', 64) }));
        (await Tree.ReadAllBytesAsync("/cas")).ShouldBe("v1"u8.ToArray());
    }

    [Fact]
    public async Task Write_StreamFailsMidway_LeavesPreviousContent()
    {
        if (StoreUnavailable) return;

        await Tree.WriteAsync("/keep", Bytes(300_000, 3));
        await Should.ThrowAsync<IOException>(() => Tree.WriteAsync("/keep", new FailingStream(Bytes(500_000, 4), failAfter: 200_000)));

        (await Tree.ReadAllBytesAsync("/keep")).ShouldBe(Bytes(300_000, 3));
        Clock.Advance(TimeSpan.FromHours(2));
        (await Tree.FsckAsync()).Consistent.ShouldBeTrue();
    }

    [Fact]
    public async Task Write_NewFileStreamFailsMidway_LeavesNoFile()
    {
        if (StoreUnavailable) return;

        await Should.ThrowAsync<IOException>(() => Tree.WriteAsync("/dir/new.bin", new FailingStream(Bytes(500_000, 5), failAfter: 100_000)));
        (await Tree.FindAsync("/dir/new.bin")).ShouldBeNull("a failed write of a new file leaves no empty file behind");
        await Should.ThrowAsync<IOException>(() => Tree.WriteAsync("/small.txt", new FailingStream(Bytes(1_000, 6), failAfter: 10)));
        (await Tree.FindAsync("/small.txt")).ShouldBeNull();
    }

    [Fact]
    public async Task Read_Directory_ThrowsIsADirectory()
    {
        if (StoreUnavailable) return;

        await Tree.MkdirAsync("/dir");
        await Fails(TreeErrorCode.IsADirectory, () => Tree.OpenReadAsync("/dir"));
    }

    [Fact]
    public async Task Read_DeletedObject_ThrowsNotFound()
    {
        if (StoreUnavailable) return;

        await Tree.WriteAsync("/gone", Bytes(10));
        await Tree.DeleteAsync("/gone");
        await Fails(TreeErrorCode.NotFound, () => Tree.OpenReadAsync("/gone"));
    }

    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= failAfter)
            {
                throw new IOException("connection reset by peer");
            }

            return await base.ReadAsync(buffer[..Math.Min(buffer.Length, 65536)], cancellationToken);
        }
    }

    [Fact]
    public async Task UploadCutOffMidStream_NewFileUnderMissingParents_LeavesNothing()
    {
        if (StoreUnavailable) return;

        await Should.ThrowAsync<IOException>(() => Tree.WriteAsync("/cut/deep/file.bin", new FailingStream(Bytes(500_000, 8), failAfter: 200_000)));

        (await Tree.FindAsync("/cut")).ShouldBeNull();
        (await Tree.WriteAsync("/cut/deep/file.bin", Bytes(100_000))).Length.ShouldBe(100_000);
    }

    [Fact]
    public async Task Write_IfContentOnAMissingFile_ConflictAndNothingCreated()
    {
        if (StoreUnavailable) return;

        await Fails(TreeErrorCode.Conflict, () => Tree.WriteAsync("/cas/new.txt", Bytes(10), new PutOptions { IfSha256 = new string('b', 64) }));

        (await Tree.FindAsync("/cas")).ShouldBeNull();
        (await Tree.WriteAsync("/cas/new.txt", Bytes(10), new PutOptions { IfSha256 = Sha([]) })).Length.ShouldBe(10);
    }

    [Fact]
    public async Task OrphanContentIsNeverReclaimedOnItsOwn_OverwriteAndDelete_ReclaimedAfterTheGrace()
    {
        if (StoreUnavailable) return;
        var first = Bytes(100_000, 11);
        var second = Bytes(100_000, 12);
        await Tree.WriteAsync("/r/a.bin", first);
        await Tree.WriteAsync("/r/a.bin", second);
        await Tree.WriteAsync("/r/b.bin", Bytes(90_000, 13));
        await Tree.DeleteAsync("/r/b.bin");

        (await Tree.ReclaimAsync()).ShouldBeTrue();
        Tree.ReclaimStats.PendingBlobs.ShouldBe(2, "within the grace period");
        Tree.ReclaimStats.PendingBytes.ShouldBe(190_000);
        Tree.ReclaimStats.ReclaimedBytes.ShouldBe(0);

        Clock.Advance(TimeSpan.FromMinutes(11));
        (await Tree.ReclaimAsync()).ShouldBeTrue();

        Tree.ReclaimStats.ReclaimedBytes.ShouldBe(190_000);
        Tree.ReclaimStats.PendingBytes.ShouldBe(0);
        (await Tree.ReadAllBytesAsync("/r/a.bin")).ShouldBe(second);
        var report = await Tree.FsckAsync();
        report.Consistent.ShouldBeTrue();
        report.OrphansRemoved.ShouldBe(0, "nothing was left for fsck");
    }

    [Fact]
    public async Task Reclaim_ContentReferencedAgainWithinTheGrace_Kept()
    {
        if (StoreUnavailable) return;
        var content = Bytes(100_000, 14);
        await Tree.WriteAsync("/k/a.bin", content);
        await Tree.DeleteAsync("/k/a.bin");
        Clock.Advance(TimeSpan.FromMinutes(11));
        await Tree.WriteAsync("/k/again.bin", content);

        await Tree.ReclaimAsync();

        (await Tree.ReadAllBytesAsync("/k/again.bin")).ShouldBe(content);
        (await Tree.FsckAsync()).Consistent.ShouldBeTrue();
    }
}
