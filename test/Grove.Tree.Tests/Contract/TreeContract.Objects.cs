namespace Grove.Tree.Tests.Contract;

public abstract partial class TreeContract
{
    [Fact]
    public async Task Create_WithMissingParents_CreatesDirectories()
    {
        if (StoreUnavailable) return;

        var f = await Tree.CreateAsync("/a/b/c.txt", ObjectRace.File);

        f.Path.ShouldBe("/a/b/c.txt");
        f.Type.ShouldBe("txt");
        f.Mime.ShouldBe("text/plain");
        f.Id.Length.ShouldBe(ObjectIds.Length);
        (await Tree.GetAsync("/a/b")).IsDir.ShouldBeTrue();
        (await Tree.GetAsync("/a/b")).Id.ShouldBe(f.ParentId);
        f.Created.ShouldBe(Clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Create_Existing_ThrowsAlreadyExists()
    {
        if (StoreUnavailable) return;

        await Tree.CreateAsync("/x", ObjectRace.File);
        await Fails(TreeErrorCode.AlreadyExists, () => Tree.CreateAsync("/x", ObjectRace.File));
        (await Tree.MkdirAsync("/d")).Id.ShouldBe((await Tree.MkdirAsync("/d")).Id);
    }

    [Fact]
    public async Task Create_WithoutParents_WhenParentMissing_ThrowsNotFound()
    {
        if (StoreUnavailable) return;
        await Fails(TreeErrorCode.NotFound, () => Tree.CreateAsync("/no/such", ObjectRace.File, new CreateOptions { Parents = false }));
    }

    [Fact]
    public async Task Create_UnderAFile_ThrowsNotADirectory()
    {
        if (StoreUnavailable) return;

        await Tree.CreateAsync("/f", ObjectRace.File);
        await Fails(TreeErrorCode.NotADirectory, () => Tree.CreateAsync("/f/g", ObjectRace.File));
    }

    [Theory]
    [InlineData("/a/./b/..")]
    [InlineData("relative")]
    [InlineData("/a/\0b")]
    public async Task Create_BadPath_ThrowsInvalidPathOrName(string path)
    {
        if (StoreUnavailable) return;

        var e = await Should.ThrowAsync<TreeException>(() => Tree.CreateAsync(path, ObjectRace.File));
        e.Code.ShouldBeOneOf(TreeErrorCode.InvalidPath, TreeErrorCode.InvalidName);
        (await Tree.ListAsync("/")).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_NameOver255Bytes_ThrowsInvalidName()
    {
        if (StoreUnavailable) return;

        await Fails(TreeErrorCode.InvalidName, () => Tree.CreateAsync("/" + new string('é', 128), ObjectRace.File));
        (await Tree.CreateAsync("/" + new string('é', 127), ObjectRace.File)).Name.Length.ShouldBe(127);
    }

    [Fact]
    public async Task GetById_DeepObject_ReturnsItWithPath()
    {
        if (StoreUnavailable) return;

        var f = await Tree.CreateAsync("/p/q/r/s.bin", ObjectRace.File);
        var byId = await Tree.GetByIdAsync(f.Id);
        byId.Path.ShouldBe("/p/q/r/s.bin");
        (await Tree.FindByIdAsync(ObjectIds.New())).ShouldBeNull();
    }

    [Fact]
    public async Task Meta_SetUnsetAndBuiltIns_AreStored()
    {
        if (StoreUnavailable) return;

        await Tree.CreateAsync("/m.json", ObjectRace.File);
        await Tree.SetMetaAsync("/m.json", new Dictionary<string, object?> { ["color"] = "red", ["size"] = 42L, ["lbls"] = new List<object?> { "a", "b" }, ["md"] = "750" });
        await Tree.SetMetaAsync("/m.json", new Dictionary<string, object?>(), unset: ["color"]);

        var o = await Tree.GetAsync("/m.json");
        o.Get("color").ShouldBeNull();
        o.Get("size").ShouldBe(42L);
        o.Labels.ShouldBe(["a", "b"]);
        o.Mode.ShouldBe(0b111_101_000);
        o.Version.ShouldBeGreaterThan(2);
    }

    [Theory]
    [InlineData("len")]
    [InlineData("sha256")]
    [InlineData("id")]
    [InlineData("bad key")]
    public async Task Meta_ManagedOrBadKey_ThrowsInvalidMeta(string key)
    {
        if (StoreUnavailable) return;

        await Tree.CreateAsync("/k", ObjectRace.File);
        await Fails(TreeErrorCode.InvalidMeta, () => Tree.SetMetaAsync("/k", new Dictionary<string, object?> { [key] = 1L }));
    }

    [Fact]
    public async Task Increment_Concurrent_CountsEveryCall()
    {
        if (StoreUnavailable) return;

        await Tree.CreateAsync("/counter", ObjectRace.File);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Tree.IncrementAsync("/counter", "hits")));
        (await Tree.GetAsync("/counter")).Get("hits").ShouldBe(40L);
    }

    /// <summary>
    /// Regression: a writer that committed before another cached its own older row after the other's invalidation, so
    /// this node's stats then read a lost increment (39 of 40) though the database held every one.
    /// </summary>
    [Fact]
    public async Task Increment_ConcurrentRounds_StatAfterEachSeesEveryIncrement()
    {
        if (StoreUnavailable) return;

        await Tree.CreateAsync("/counter", ObjectRace.File);
        for (var round = 1; round <= 5; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Tree.IncrementAsync("/counter", "hits")));
            (await Tree.GetAsync("/counter")).Get("hits").ShouldBe(24L * round, $"round {round}");
        }
    }

    [Fact]
    public async Task Cache_RepeatedStat_IsServedFromCacheAndSeesChanges()
    {
        if (StoreUnavailable) return;

        await Tree.CreateAsync("/c/d.txt", ObjectRace.File);
        await Tree.GetAsync("/c/d.txt");
        var before = Tree.CacheStats.Hits;
        for (var i = 0; i < 100; i++)
        {
            await Tree.GetAsync("/c/d.txt");
        }

        (Tree.CacheStats.Hits - before).ShouldBeGreaterThanOrEqualTo(100);
        await Tree.SetMetaAsync("/c/d.txt", new Dictionary<string, object?> { ["k"] = "v2" });
        (await Tree.GetAsync("/c/d.txt")).Get("k").ShouldBe("v2");
    }
}
