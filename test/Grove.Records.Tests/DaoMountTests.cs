using System.Text.Json;
using Grove.Records;
using Grove.Tree.Query;
using Xunit.Abstractions;

namespace Grove.Records.Tests;

public sealed class DaoMountTests(ITestOutputHelper output)
{
    // Names are the notNull title (objKeys.nm), the key is a Long id, ct is both the cut field and the object's ct.
    private const string News = """
        {
          "tableName": "t_news",
          "fields": [
            { "name": "id", "type": "Long" },
            { "name": "ct", "type": "Long", "notNull": true },
            { "name": "title", "type": "String", "notNull": true },
            { "name": "score", "type": "Integer" },
            { "name": "ver", "type": "Integer", "isVersion": true },
          ],
          "pks": ["id"],
          "objKeys": { "nm": "title" },
          "indexes": [ { "name": "by_title", "fields": ["title"] } ],
          "history": { "cutField": "ct", "mainRows": 4, "tableRows": 4, "keep": 10 }
        }
        """;

    // The seed's layout: id, pid, nm, race and content keys in columns of the same names.
    private const string Docs = """
        {
          "tableName": "t_docs",
          "fields": [
            { "name": "id", "type": "String" },
            { "name": "pid", "type": "String" },
            { "name": "nm", "type": "String", "notNull": true },
            { "name": "race", "type": "String" },
            { "name": "sha256", "type": "String" },
            { "name": "len", "type": "Long" },
            { "name": "ct", "type": "Long" },
            { "name": "lm", "type": "Long" },
            { "name": "title", "type": "String" },
          ],
          "pks": ["id"],
          "indexes": [ { "name": "by_parent", "fields": ["pid", "nm"] } ]
        }
        """;

    private static Dictionary<string, object?> NewsRow(long id, int score) => new() { ["id"] = id, ["ct"] = id, ["title"] = $"n{id:D2}", ["score"] = score };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DaoMount_ListStatFind_RowsAcrossMainAndHistory(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync();
        var tree = h.Trees[0];
        await records.DefineAsync("news", RecordMapping.Parse(News));
        for (var i = 1; i <= 10; i++)
        {
            await records.InsertAsync("news", NewsRow(i, i % 5));
        }

        (await records.RotateAsync("news")).Moved.ShouldBe(6);
        await tree.MountAsync("/news", "dao(news)", createMissing: true);

        var all = await tree.ListAsync("/news");
        all.Items.Select(o => o.Name).ShouldBe(Enumerable.Range(1, 10).Select(i => $"n{i:D2}"));
        all.Items[0].Path.ShouldBe("/news/n01");
        all.Items[0].Meta["score"].GetInt32().ShouldBe(1);

        // Keyset pages: the second page starts after the first's last name.
        var first = await tree.ListAsync("/news", null, 4);
        var second = await tree.ListAsync("/news", first.Next, 4);
        first.Items.Concat(second.Items).Select(o => o.Name).ShouldBe(all.Items.Take(8).Select(o => o.Name));

        // Stat of a row in a history table, by path and by id.
        var o3 = await tree.GetAsync("/news/n03");
        (o3.Created, o3.Version, o3.IsDir).ShouldBe((3L, 1L, false));
        (await tree.GetByIdAsync(o3.Id)).Path.ShouldBe("/news/n03");

        // A find is SQL over mapped fields, across main and history, in one order.
        var found = await tree.QueryAsync(new TreeQuery { Parent = "/news", Filter = FilterParser.Parse("""{"score": "[3,4]"}"""), Sort = [SortKey.Parse("-ct")] });
        found.Items.Select(o => o.Path).ShouldBe(["/news/n09", "/news/n08", "/news/n04", "/news/n03"]);
        var paged = await tree.QueryAsync(new TreeQuery { Parent = "/news", Filter = FilterParser.Parse("""{"score": "[3,4]"}"""), Sort = [SortKey.Parse("-ct")], Limit = 3 });
        var rest = await tree.QueryAsync(new TreeQuery { Parent = "/news", Filter = FilterParser.Parse("""{"score": "[3,4]"}"""), Sort = [SortKey.Parse("-ct")], Limit = 3, After = paged.Next });
        rest.Items.Select(o => o.Name).ShouldBe(["n03"]);

        var bad = await Should.ThrowAsync<TreeException>(() => tree.QueryAsync(new TreeQuery { Parent = "/news", Filter = FilterParser.Parse("""{"nope": 1}""") }));
        bad.Code.ShouldBe(TreeErrorCode.InvalidFilter);
        bad.Message.ShouldContain("nope");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DaoMount_MetaEdit_UpdatesColumns_AndRecordsApiChangesShowAtOnce(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync();
        var tree = h.Trees[0];
        await records.DefineAsync("news", RecordMapping.Parse(News));
        await records.InsertAsync("news", NewsRow(1, 1));
        await tree.MountAsync("/news", "dao(news)", createMissing: true);
        _ = await tree.GetAsync("/news/n01");

        var edited = await tree.SetMetaAsync("/news/n01", new Dictionary<string, object?> { ["score"] = 42 });
        edited.Meta["score"].GetInt32().ShouldBe(42);
        var row = (await records.GetAsync("news", [1L]))!;
        (row["score"], row["ver"]).ShouldBe((42, 2));

        // A change through the records API is what the mount shows next (the tree caches no dao row).
        await records.UpdateAsync("news", new Dictionary<string, object?> { ["id"] = 1L, ["ver"] = 2, ["score"] = 7 });
        (await tree.GetAsync("/news/n01")).Meta["score"].GetInt32().ShouldBe(7);

        // Renaming updates the name field; a key that is not a field is refused, naming it.
        await tree.MoveAsync("/news/n01", "/news/first");
        (await records.GetAsync("news", [1L]))!["title"].ShouldBe("first");
        var bad = await Should.ThrowAsync<TreeException>(() => tree.SetMetaAsync("/news/first", new Dictionary<string, object?> { ["color"] = "red" }));
        (bad.Code, bad.Message.Contains("color", StringComparison.Ordinal)).ShouldBe((TreeErrorCode.InvalidMeta, true));
        (await records.GetAsync("news", [1L]))!["ver"].ShouldBe(4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DaoMount_CreateWriteDelete_InsertsRowsWithContentInTheBucket(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync();
        var tree = h.Trees[0];
        await records.DefineAsync("docs", RecordMapping.Parse(Docs));
        await tree.MountAsync("/docs", "dao(docs)://lbm(DocData)", createMissing: true);

        await tree.MkdirAsync("/docs/reports");
        var created = await tree.CreateAsync("/docs/reports/a.txt", ObjectRace.File, new CreateOptions { Meta = new Dictionary<string, JsonElement> { ["title"] = JsonSerializer.SerializeToElement("A") } });
        var written = await tree.WriteAsync("/docs/reports/a.txt", "hello dao"u8.ToArray());
        written.Length.ShouldBe(9);
        System.Text.Encoding.UTF8.GetString(await tree.ReadAllBytesAsync("/docs/reports/a.txt")).ShouldBe("hello dao");

        var dirRow = (await records.FindAsync("docs", new RecordQuery { Where = JsonSerializer.SerializeToElement(new { nm = "reports" }) })).Items.Single();
        dirRow["race"].ShouldBe("DIR");
        var fileRow = (await records.GetAsync("docs", [created.Id.Split(':')[1]]))!;
        (fileRow["pid"], fileRow["nm"], fileRow["title"], fileRow["len"]).ShouldBe((dirRow["id"], "a.txt", "A", 9L));
        ((string)fileRow["sha256"]!).Length.ShouldBe(64);
        (await tree.ListAsync("/docs")).Items.Select(o => o.Name).ShouldBe(["reports"]);

        // The content is referenced, so fsck finds nothing to repair; deleting the file deletes its row.
        var report = await tree.FsckAsync(removeOrphans: false);
        (report.Dangling.Count, report.CountMismatches.Count).ShouldBe((0, 0));
        await tree.DeleteAsync("/docs/reports", recursive: true);
        (await records.FindAsync("docs", new RecordQuery())).Items.ShouldBeEmpty();
        (await tree.ListAsync("/docs")).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Mount_UnknownRecordSet_RefusedNamingIt_NothingCreated()
    {
        await using var h = (await Harness.OpenAsync(false, output))!;
        var tree = await h.TreeAsync();
        var e = await Should.ThrowAsync<TreeException>(() => tree.MountAsync("/news", "dao(nope)", createMissing: true));
        (e.Code, e.Message.Contains("'nope'", StringComparison.Ordinal)).ShouldBe((TreeErrorCode.NotFound, true));
        (await tree.FindAsync("/news")).ShouldBeNull();
        var bad = await Should.ThrowAsync<TreeException>(() => tree.MountAsync("/news", "dao(a/b)", createMissing: true));
        bad.Code.ShouldBe(TreeErrorCode.InvalidMount);
    }

    [Fact]
    public async Task DaoMount_WithoutOpenRecordsEngine_OpensItsOwn()
    {
        await using var h = (await Harness.OpenAsync(false, output))!;
        var records = await h.NodeAsync();
        await records.DefineAsync("news", RecordMapping.Parse(News));
        await records.InsertAsync("news", NewsRow(5, 1));
        await records.DisposeAsync();

        var tree = h.Trees[0];
        await tree.MountAsync("/news", "dao(news)", createMissing: true);
        (await tree.ListAsync("/news")).Items.Select(o => o.Name).ShouldBe(["n05"]);
    }
}
