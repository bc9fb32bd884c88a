using System.Text.Json;

namespace Grove.Tree.Tests.Contract;

public abstract partial class TreeContract
{
    private static BatchFile BatchText(string text, string? key = null, object? value = null) => new()
    {
        Content = System.Text.Encoding.UTF8.GetBytes(text),
        Meta = key is null ? null : new Dictionary<string, JsonElement> { [key] = JsonSerializer.SerializeToElement(value) },
    };

    [Fact]
    public async Task CommitBatch_CreateReplaceDelete_AppliesAllTogether()
    {
        if (StoreUnavailable) return;
        await Tree.WriteAsync("/b/old", "old"u8.ToArray());
        var counter = await Tree.CreateAsync("/b/counter", ObjectRace.File);
        var old = await Tree.GetAsync("/b/old");

        var results = await Tree.CommitAsync(new TreeBatch()
            .Create("/b/new/deep/file", BatchText("fresh", "k", 1))
            .Replace("/b/counter", counter.Version, BatchText("", "n", 7), user: "ann")
            .Delete("/b/old", old.Version));

        results.Count.ShouldBe(3);
        results[2].ShouldBeNull();
        (await Tree.ReadAllBytesAsync("/b/new/deep/file")).ShouldBe("fresh"u8.ToArray());
        var c = await Tree.GetAsync("/b/counter");
        c.Get("n").ShouldBe(7L);
        c.Modifier.ShouldBe("ann");
        c.Version.ShouldBe(counter.Version + 1);
        (await Tree.FindAsync("/b/old")).ShouldBeNull();
    }

    [Fact]
    public async Task CommitBatch_DeleteObject_DeletesItWhateverItsVersionButNotAnotherObjectOfThatName()
    {
        if (StoreUnavailable) return;
        var first = await Tree.WriteAsync("/o/a", "a1"u8.ToArray());
        await Tree.WriteAsync("/o/a", "a2"u8.ToArray());
        await Tree.CommitAsync(new TreeBatch().DeleteObject("/o/a", first.Id));
        (await Tree.FindAsync("/o/a")).ShouldBeNull();

        await Tree.WriteAsync("/o/a", "again"u8.ToArray());
        await Tree.WriteAsync("/o/kept", "k"u8.ToArray());
        await Fails(TreeErrorCode.Conflict, () => Tree.CommitAsync(new TreeBatch().Create("/o/new", BatchText("n")).DeleteObject("/o/a", first.Id)));
        await Fails(TreeErrorCode.NotFound, () => Tree.CommitAsync(new TreeBatch().Create("/o/new", BatchText("n")).DeleteObject("/o/gone", first.Id)));

        (await Tree.ReadAllBytesAsync("/o/a")).ShouldBe("again"u8.ToArray());
        (await Tree.FindAsync("/o/new")).ShouldBeNull();
    }

    [Fact]
    public async Task CommitBatch_DeleteObjectNotCached_ReleasesItsContentAndRefusesADirectory()
    {
        if (StoreUnavailable) return;
        // Note that without the cache a store that can (PostgreSQL) deletes without reading the row: its checks and the
        // release of the content's reference run in SQL.
        await ReopenAsync(o => o with { CacheCapacity = 0 });
        var data = Bytes(200_000, 9);
        var a = await Tree.WriteAsync("/u/a", data);
        var b = await Tree.WriteAsync("/u/b", data);
        var dir = await Tree.MkdirAsync("/u/dir");

        await Tree.CommitAsync(new TreeBatch().DeleteObject("/u/a", a.Id));
        (await Tree.FindAsync("/u/a")).ShouldBeNull();
        (await Tree.FsckAsync()).Consistent.ShouldBeTrue("the shared blob keeps one reference");
        (await Tree.ReadAllBytesAsync("/u/b")).ShouldBe(data);

        var refused = await Should.ThrowAsync<TreeException>(() => Tree.CommitAsync(new TreeBatch().DeleteObject("/u/dir", dir.Id)));
        refused.Code.ShouldBe(TreeErrorCode.IsADirectory);
        (await Tree.FindAsync("/u/dir")).ShouldNotBeNull();

        await Tree.CommitAsync(new TreeBatch().DeleteObject("/u/b", b.Id));
        Clock.Advance(TimeSpan.FromHours(2));
        var report = await Tree.FsckAsync();
        report.OrphansRemoved.ShouldBe(1);
        report.Consistent.ShouldBeTrue(string.Join("; ", report.CountMismatches));
    }

    [Fact]
    public async Task CommitBatch_OneStaleVersion_AppliesNothing()
    {
        if (StoreUnavailable) return;
        var a = await Tree.WriteAsync("/s/a", "a1"u8.ToArray());
        await Tree.WriteAsync("/s/a", "a2"u8.ToArray());

        await Fails(TreeErrorCode.Conflict, () => Tree.CommitAsync(new TreeBatch()
            .Create("/s/created", BatchText("x"))
            .Replace("/s/a", a.Version, BatchText("a3"))));

        (await Tree.FindAsync("/s/created")).ShouldBeNull();
        (await Tree.ReadAllBytesAsync("/s/a")).ShouldBe("a2"u8.ToArray());
    }

    [Fact]
    public async Task CommitBatch_CreateOfExistingFile_ThrowsAlreadyExistsAndAppliesNothing()
    {
        if (StoreUnavailable) return;
        var counter = await Tree.CreateAsync("/e/counter", ObjectRace.File);
        await Tree.WriteAsync("/e/taken", "t"u8.ToArray());

        await Fails(TreeErrorCode.AlreadyExists, () => Tree.CommitAsync(new TreeBatch()
            .Replace("/e/counter", counter.Version, BatchText("", "n", 1))
            .Create("/e/taken", BatchText("again"))));

        (await Tree.GetAsync("/e/counter")).Version.ShouldBe(counter.Version);
        (await Tree.ReadAllBytesAsync("/e/taken")).ShouldBe("t"u8.ToArray());
    }

    [Fact]
    public async Task CommitBatch_LargeContent_GoesToTheBucketAndFsckAgrees()
    {
        if (StoreUnavailable) return;
        var big = Bytes(200_000, 5);
        var created = (await Tree.CommitAsync(new TreeBatch().Create("/big/f", new BatchFile { Content = big })))[0]!;
        created.Sha256.ShouldBe(Sha(big));
        (await Tree.ReadAllBytesAsync("/big/f")).ShouldBe(big);

        await Tree.CommitAsync(new TreeBatch().Replace("/big/f", created.Version, new BatchFile { Content = "small"u8.ToArray() }));
        (await Tree.ReadAllBytesAsync("/big/f")).ShouldBe("small"u8.ToArray());
        Clock.Advance(TimeSpan.FromHours(2));
        var report = await Tree.FsckAsync();
        report.Consistent.ShouldBeTrue(string.Join("; ", report.CountMismatches));
    }

    [Fact]
    public async Task CommitBatch_SamePathTwice_ThrowsConflict()
    {
        if (StoreUnavailable) return;
        await Fails(TreeErrorCode.Conflict, () => Tree.CommitAsync(new TreeBatch().Create("/d/x", BatchText("1")).Create("/d/x", BatchText("2"))));
        (await Tree.FindAsync("/d/x")).ShouldBeNull();
    }
}
