using System.Text.Json;

namespace Grove.Client.Tests;

/// <summary>The tree's metadata operations: mkdir, stat, list, meta, query, move, delete.</summary>
public sealed class TreeTests : ClientTestBase
{
    [Fact]
    public async Task MkdirAsync_WithParents_CreatesChainAndStatFindsIt()
    {
        var dir = await Admin.MkdirAsync("/projects/alpha/q1");

        dir.IsDirectory.ShouldBeTrue();
        dir.Path.ShouldBe("/projects/alpha/q1");
        dir.Creator.ShouldBe("admin");
        (await Admin.StatAsync("/projects/alpha")).IsDirectory.ShouldBeTrue();
        (await Admin.StatByIdAsync(dir.Id)).Path.ShouldBe("/projects/alpha/q1");
        (await Admin.MkdirAsync("/projects/alpha/q1")).Id.ShouldBe(dir.Id);
    }

    [Fact]
    public async Task MkdirAsync_WithoutParents_RefusesMissingParentAndExistingDirectory()
    {
        await Admin.MkdirAsync("/a");

        await ShouldBeRefusedAsync(() => Admin.MkdirAsync("/missing/b", parents: false), 404, GroveErrorCode.NotFound);
        (await Admin.MkdirAsync("/a/b", parents: false)).Path.ShouldBe("/a/b");
        var e = await ShouldBeRefusedAsync(() => Admin.MkdirAsync("/a/b", parents: false), 409, GroveErrorCode.AlreadyExists);
        e.IsConflict.ShouldBeTrue();
    }

    [Fact]
    public async Task StatAsync_Missing_ThrowsNotFoundAndFindReturnsNull()
    {
        var e = await ShouldBeRefusedAsync(() => Admin.StatAsync("/nope/deeper"), 404, GroveErrorCode.NotFound);

        e.IsNotFound.ShouldBeTrue();
        e.Detail.ShouldNotBeNullOrEmpty();
        (await Admin.FindAsync("/nope")).ShouldBeNull();
        (await Admin.FindAsync("/")).ShouldNotBeNull().IsDirectory.ShouldBeTrue();
    }

    [Fact]
    public async Task Paths_WithSpacesAndUnicode_RoundTripThroughTheUrl()
    {
        var name = "report q1 ✓ #50%?.txt";
        await Admin.UploadAsync("/docs/" + name, new MemoryStream("x"u8.ToArray()));

        (await Admin.StatAsync("/docs/" + name)).Name.ShouldBe(name);
        (await Admin.ListAsync("/docs")).Items.Single().Name.ShouldBe(name);
        Should.Throw<ArgumentException>(() => Admin.StatAsync("/docs/../etc"));
    }

    [Fact]
    public async Task ListAsync_Paged_WalksEveryChildInNameOrder()
    {
        await Admin.MkdirAsync("/big");
        for (var i = 0; i < 23; i++)
        {
            await Admin.MkdirAsync($"/big/d{i:D2}");
        }

        var first = await Admin.ListAsync("/big", limit: 10);
        first.Items.Count.ShouldBe(10);
        first.Next.ShouldBe("d09");
        var second = await Admin.ListAsync("/big", first.Next, 10);
        second.Items[0].Name.ShouldBe("d10");

        var all = new List<string>();
        await foreach (var o in Admin.ListAllAsync("/big", pageSize: 5))
        {
            all.Add(o.Name);
        }

        all.ShouldBe(Enumerable.Range(0, 23).Select(i => $"d{i:D2}"));
        await ShouldBeRefusedAsync(() => Admin.ListAsync("/big", limit: 0), 400, GroveErrorCode.BadRequest);
    }

    [Fact]
    public async Task SetMetaAsync_SetAndUnset_TypedValuesComeBack()
    {
        await Admin.UploadAsync("/m.txt", new MemoryStream("m"u8.ToArray()));

        var o = await Admin.SetMetaAsync("/m.txt", new Dictionary<string, object?>
        {
            ["year"] = 2026,
            ["title"] = "Hello",
            ["nested"] = new { a = 1, b = new[] { "x" } },
            ["lbls"] = new[] { "final", "q1" },
            ["gone"] = true,
        });
        o = await Admin.SetMetaAsync("/m.txt", null, ["gone"]);

        o.Meta["year"].GetInt32().ShouldBe(2026);
        o.Meta["title"].GetString().ShouldBe("Hello");
        o.Meta["nested"].GetProperty("b")[0].GetString().ShouldBe("x");
        o.Meta.ContainsKey("gone").ShouldBeFalse();
        o.Labels.ShouldBe(["final", "q1"]);
        o.Version.ShouldBeGreaterThan(1);
        await ShouldBeRefusedAsync(() => Admin.SetMetaAsync("/m.txt", new Dictionary<string, object?> { ["id"] = "x" }), 400, GroveErrorCode.InvalidMeta);
    }

    [Fact]
    public async Task QueryAsync_FilterSortAndPaging_FindsMatchesOnly()
    {
        for (var i = 0; i < 12; i++)
        {
            await Admin.UploadAsync($"/q/f{i:D2}.txt", new MemoryStream([(byte)i]));
            await Admin.SetMetaAsync($"/q/f{i:D2}.txt", new Dictionary<string, object?> { ["n"] = i, ["even"] = i % 2 == 0 });
        }

        var page = await Admin.QueryAsync(new GroveQuery { Parent = "/q", Where = new { even = true }, Sort = ["-n"], Limit = 4 });
        page.Items.Select(o => o.Name).ShouldBe(["f10.txt", "f08.txt", "f06.txt", "f04.txt"]);
        page.Next.ShouldNotBeNull();

        var all = new List<long>();
        await foreach (var o in Admin.QueryAllAsync(new GroveQuery { Where = """{"n":"[3,9)"}""", Sort = ["n"], Limit = 2 }))
        {
            all.Add(o.Meta["n"].GetInt64());
        }

        all.ShouldBe([3, 4, 5, 6, 7, 8]);
        var where = JsonDocument.Parse("""{"nm":"f1*"}""").RootElement;
        (await Admin.QueryAsync(new GroveQuery { Parent = "/q", Where = where })).Items.Count.ShouldBe(2);
        await ShouldBeRefusedAsync(() => Admin.QueryAsync(new GroveQuery { Where = """{"n":{"$nope":1}}""" }), 400, GroveErrorCode.InvalidFilter);
    }

    [Fact]
    public async Task MoveAsync_ThenDeleteAsync_MovesSubtreeAndRemovesIt()
    {
        await Admin.UploadAsync("/src/deep/f.txt", new MemoryStream("f"u8.ToArray()));

        var moved = await Admin.MoveAsync("/src", "/dst");
        moved.Path.ShouldBe("/dst");
        (await Admin.StatAsync("/dst/deep/f.txt")).Length.ShouldBe(1);
        (await Admin.FindAsync("/src")).ShouldBeNull();
        await ShouldBeRefusedAsync(() => Admin.MoveAsync("/dst", "/dst/deep/x"), 409, GroveErrorCode.Conflict);

        await ShouldBeRefusedAsync(() => Admin.DeleteAsync("/dst"), 409, GroveErrorCode.NotEmpty);
        await Admin.DeleteAsync("/dst", recursive: true);
        (await Admin.FindAsync("/dst/deep/f.txt")).ShouldBeNull();
    }
}
