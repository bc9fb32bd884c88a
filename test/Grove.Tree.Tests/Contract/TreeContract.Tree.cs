namespace Grove.Tree.Tests.Contract;

public abstract partial class TreeContract
{
    [Fact]
    public async Task List_ManyChildren_PagesThroughAllInOrdinalOrder()
    {
        if (StoreUnavailable) return;

        var names = Enumerable.Range(0, 2300).Select(i => $"n{i:x}").Concat(["A", "a", "Z", "é", "~", "_"]).ToList();
        foreach (var chunk in names.Chunk(100))
        {
            await Task.WhenAll(chunk.Select(n => Tree.CreateAsync("/big/" + n, ObjectRace.File)));
        }

        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await Tree.ListAsync("/big", after, 1000);
            page.Items.Count.ShouldBeLessThanOrEqualTo(1000);
            seen.AddRange(page.Items.Select(o => o.Name));
            after = page.Next;
        }
        while (after is not null);

        seen.ShouldBe(names.Order(StringComparer.Ordinal).ToList());
        (await Tree.ListAllAsync("/big", 77).CountAsync()).ShouldBe(names.Count);
    }

    [Fact]
    public async Task Move_Directory_CarriesSubtreeWithSameIds()
    {
        if (StoreUnavailable) return;

        var f = await Tree.WriteAsync("/src/sub/f.txt", "hello"u8.ToArray());
        var dir = await Tree.GetAsync("/src");

        var moved = await Tree.MoveAsync("/src", "/dst/renamed");

        moved.Id.ShouldBe(dir.Id);
        (await Tree.FindAsync("/src/sub/f.txt")).ShouldBeNull();
        var again = await Tree.GetAsync("/dst/renamed/sub/f.txt");
        again.Id.ShouldBe(f.Id);
        (await Tree.ReadAllBytesAsync("/dst/renamed/sub/f.txt")).ShouldBe("hello"u8.ToArray());
        (await Tree.GetByIdAsync(f.Id)).Path.ShouldBe("/dst/renamed/sub/f.txt");
    }

    [Fact]
    public async Task Move_FileStatedBefore_OldPathFindsNothingNewPathFindsIt()
    {
        if (StoreUnavailable) return;

        var written = await Tree.WriteAsync("/from/notes.txt", "n"u8.ToArray());
        await Tree.SetMetaAsync("/from/notes.txt", new Dictionary<string, object?> { ["n"] = 1L });
        (await Tree.GetAsync("/from/notes.txt")).Id.ShouldBe(written.Id);
        await Tree.MkdirAsync("/to");

        await Tree.MoveAsync("/from/notes.txt", "/to/notes.txt");

        (await Tree.FindAsync("/from/notes.txt")).ShouldBeNull("the old path must not find a moved file, cached or not");
        (await Tree.GetAsync("/to/notes.txt")).Id.ShouldBe(written.Id);
        (await Tree.GetByIdAsync(written.Id)).Path.ShouldBe("/to/notes.txt");
    }

    [Fact]
    public async Task Move_IntoItsOwnSubtree_ThrowsConflict()
    {
        if (StoreUnavailable) return;

        await Tree.MkdirAsync("/loop/inner");
        await Fails(TreeErrorCode.Conflict, () => Tree.MoveAsync("/loop", "/loop/inner/x"));
    }

    [Fact]
    public async Task Move_OntoExisting_ThrowsAlreadyExists()
    {
        if (StoreUnavailable) return;

        await Tree.CreateAsync("/m1", ObjectRace.File);
        await Tree.CreateAsync("/m2", ObjectRace.File);
        await Fails(TreeErrorCode.AlreadyExists, () => Tree.MoveAsync("/m1", "/m2"));
    }

    [Fact]
    public async Task Delete_NonEmptyWithoutRecursive_ThrowsNotEmpty()
    {
        if (StoreUnavailable) return;

        await Tree.CreateAsync("/full/x", ObjectRace.File);
        await Fails(TreeErrorCode.NotEmpty, () => Tree.DeleteAsync("/full"));
        (await Tree.FindAsync("/full/x")).ShouldNotBeNull();
    }

    [Fact]
    public async Task Delete_Recursive_RemovesSubtreeAndReleasesContent()
    {
        if (StoreUnavailable) return;

        for (var i = 0; i < 30; i++)
        {
            await Tree.WriteAsync($"/tree/d{i % 3}/f{i}", Bytes(70_000, i));
        }

        await Tree.DeleteAsync("/tree", recursive: true);

        (await Tree.FindAsync("/tree")).ShouldBeNull();
        Clock.Advance(TimeSpan.FromHours(1));
        var report = await Tree.FsckAsync();
        report.OrphansRemoved.ShouldBe(30);
        report.Consistent.ShouldBeTrue(string.Join("; ", report.CountMismatches));
    }

    [Fact]
    public async Task Walk_Subtree_VisitsEveryObjectParentFirst()
    {
        if (StoreUnavailable) return;

        await Tree.CreateAsync("/w/a/1", ObjectRace.File);
        await Tree.CreateAsync("/w/a/2", ObjectRace.File);
        await Tree.CreateAsync("/w/b", ObjectRace.File);

        var paths = await Tree.WalkAsync("/w").Select(o => o.Path).ToListAsync();
        paths.ShouldBe(["/w", "/w/a", "/w/a/1", "/w/a/2", "/w/b"]);
    }

    [Fact]
    public async Task Sweep_PastExpiry_RemovesOnlyExpired()
    {
        if (StoreUnavailable) return;

        var now = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await Tree.CreateAsync("/tmp/old", ObjectRace.File, new CreateOptions { Expires = now + 1000 });
        await Tree.CreateAsync("/tmp/new", ObjectRace.File, new CreateOptions { Expires = now + 60_000 });
        await Tree.CreateAsync("/tmp/keep", ObjectRace.File);

        Clock.Advance(TimeSpan.FromSeconds(2));
        (await Tree.SweepExpiredAsync()).ShouldBe(1);

        (await Tree.ListAsync("/tmp")).Items.Select(o => o.Name).ShouldBe(["keep", "new"]);
    }

    [Fact]
    public async Task DeepPath_3900Levels_RefusedQuickly()
    {
        if (StoreUnavailable) return;

        var deep = string.Concat(Enumerable.Repeat("/a", 3900));

        await Fails(TreeErrorCode.PathTooDeep, () => Tree.WriteAsync(deep + "/f.txt", new byte[] { 1 }));
        await Fails(TreeErrorCode.PathTooDeep, () => Tree.CreateAsync(deep, ObjectRace.Dir));
        await Fails(TreeErrorCode.PathTooLong, () => Tree.WriteAsync(string.Concat(Enumerable.Repeat("/" + new string('b', 200), 30)), new byte[] { 1 }));
        (await Tree.FindAsync("/a")).ShouldBeNull("a refused path creates none of its parents");
    }

    [Fact]
    public async Task DeepPath_AtTheLimit_CreatedWithParentsAndFound()
    {
        if (StoreUnavailable) return;

        var dir = string.Concat(Enumerable.Repeat("/d", TreeNames.MaxDepth - 1));
        await Tree.WriteAsync(dir + "/f.txt", new byte[] { 7 });
        await Tree.CreateAsync(string.Concat(Enumerable.Repeat("/e", TreeNames.MaxDepth)), ObjectRace.Dir);

        (await Tree.ReadAllBytesAsync(dir + "/f.txt")).ShouldBe(new byte[] { 7 });
        (await Tree.GetAsync(dir)).IsDir.ShouldBeTrue();
        await Fails(TreeErrorCode.PathTooDeep, () => Tree.WriteAsync(dir + "/x/f.txt", new byte[] { 1 }));
        (await Tree.FindAsync(dir + "/x")).ShouldBeNull();
    }
}
