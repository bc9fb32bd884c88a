using System.Text.Json;
using Grove.Records;
using Xunit.Abstractions;

namespace Grove.Records.Tests;

public sealed class CrudTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Define_ThenInsertGetUpdateDelete_RoundTrips(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync();
        var info = await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsMapping));
        info.Revision.ShouldBe(1);
        info.Tables.Single().Name.ShouldBe("t_news");
        (await records.ListSetsAsync()).ShouldBe(["news"]);

        var row = Harness.Row(1, 100, "hello");
        row["tags"] = JsonSerializer.SerializeToElement(new[] { "a", "b" });
        var stored = await records.InsertAsync("news", row);
        stored["author"].ShouldBe("by-hello");
        stored["ver"].ShouldBe(1);
        ((JsonElement)stored["tags"]!).GetArrayLength().ShouldBe(2);

        var got = (await records.GetAsync("news", [1L]))!;
        got["title"].ShouldBe("hello");
        (await records.GetAsync("news", ["1"]))!["id"].ShouldBe(1L);
        (await records.GetAsync("news", [2L])).ShouldBeNull();

        var dup = await Should.ThrowAsync<RecordsException>(() => records.InsertAsync("news", Harness.Row(1, 5)));
        (dup.Code, dup.Status).ShouldBe((RecordsErrorCode.DuplicateKey, 409));

        var updated = await records.UpdateAsync("news", new Dictionary<string, object?> { ["id"] = 1L, ["ver"] = 1, ["title"] = "changed" });
        updated["ver"].ShouldBe(2);
        updated["title"].ShouldBe("changed");
        (await records.GetAsync("news", [1L]))!["title"].ShouldBe("changed");

        var stale = await Should.ThrowAsync<RecordsException>(() => records.UpdateAsync("news", new Dictionary<string, object?> { ["id"] = 1L, ["ver"] = 1, ["title"] = "lost" }));
        (stale.Code, stale.Status).ShouldBe((RecordsErrorCode.Conflict, 409));
        (await records.GetAsync("news", [1L]))!["title"].ShouldBe("changed");
        (await Should.ThrowAsync<RecordsException>(() => records.UpdateAsync("news", new Dictionary<string, object?> { ["id"] = 9L, ["ver"] = 1 }))).Status.ShouldBe(404);

        (await records.UpsertAsync("news", Harness.Row(1, 100, "upserted")))["ver"].ShouldBe(3);
        (await records.UpsertAsync("news", Harness.Row(2, 200, "new")))["ver"].ShouldBe(1);

        (await records.DeleteAsync("news", [1L])).ShouldBeTrue();
        (await records.DeleteAsync("news", [1L])).ShouldBeFalse();
        (await records.GetAsync("news", [1L])).ShouldBeNull();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Insert_BadRows_RefusedNamingTheFieldAndChangeNothing(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync();
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsMapping));
        (await Should.ThrowAsync<RecordsException>(() => records.InsertAsync("news", new Dictionary<string, object?> { ["id"] = 1L, ["ct"] = 1L, ["nope"] = 1 }))).Field.ShouldBe("nope");
        (await Should.ThrowAsync<RecordsException>(() => records.InsertAsync("news", new Dictionary<string, object?> { ["id"] = 1L, ["ct"] = "soon" }))).Field.ShouldBe("ct");
        (await Should.ThrowAsync<RecordsException>(() => records.InsertAsync("news", new Dictionary<string, object?> { ["id"] = 1L }))).Code.ShouldBe(RecordsErrorCode.InvalidArgument);
        (await Should.ThrowAsync<RecordsException>(() => records.InsertAsync("news", new Dictionary<string, object?> { ["id"] = 1L, ["ct"] = 1L, ["tags"] = "[1,2]" }))).Field.ShouldBe("tags");
        (await Should.ThrowAsync<RecordsException>(() => records.InsertAsync("nope", Harness.Row(1, 1)))).Status.ShouldBe(404);
        (await records.StatsAsync("news")).Tables.Single().Rows.ShouldBe(0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Define_AdditiveChange_AddsColumnAndIndex_DestructiveRefusedWithReason(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync();
        var v1 = RecordMapping.Parse(Harness.NewsMapping);
        await records.DefineAsync("news", v1);
        await records.InsertAsync("news", Harness.Row(1, 1));
        var v2 = v1 with
        {
            Fields = [.. v1.Fields, new RecordField { Name = "score", ColumnName = "score", Type = RecordFieldType.Double }],
            Indexes = [.. v1.Indexes, new RecordIndex("by_score", false, ["score"])],
        };
        (await records.DefineAsync("news", v2)).Revision.ShouldBe(2);
        (await records.InsertAsync("news", new Dictionary<string, object?> { ["id"] = 2L, ["ct"] = 2L, ["score"] = 1.5 }))["score"].ShouldBe(1.5);
        (await records.GetAsync("news", [1L]))!["score"].ShouldBeNull();

        var dropField = await Should.ThrowAsync<RecordsException>(() => records.DefineAsync("news", v2 with { Fields = v2.Fields.Where(f => f.Name != "title").ToList(), Indexes = [], ObjKeys = new Dictionary<string, string>() }));
        (dropField.Code, dropField.Status).ShouldBe((RecordsErrorCode.DestructiveChange, 409));
        var retype = await Should.ThrowAsync<RecordsException>(() => records.DefineAsync("news", v2 with { Fields = v2.Fields.Select(f => f.Name == "score" ? f with { Type = RecordFieldType.String } : f).ToList() }));
        retype.Field.ShouldBe("score");
        (await Should.ThrowAsync<RecordsException>(() => records.DefineAsync("news", v2 with { Pks = ["id", "ct"] }))).Field.ShouldBe("pks");
        (await records.GetSetAsync("news")).Revision.ShouldBe(2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Insert_DynamicTableName_RowsGoToTheirKeysTable(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync();
        await records.DefineAsync("shard", RecordMapping.Parse("""
            {"tableName":"t_abc_${tenant}","fields":[{"name":"tenant"},{"name":"id","type":"Long"},{"name":"v"}],"pks":["tenant","id"]}
            """));
        await records.InsertAsync("shard", new Dictionary<string, object?> { ["tenant"] = "a", ["id"] = 1L, ["v"] = "x" });
        await records.InsertAsync("shard", new Dictionary<string, object?> { ["tenant"] = "b", ["id"] = 1L, ["v"] = "y" });
        (await records.GetAsync("shard", ["b", 1L]))!.Table.ShouldBe("t_abc_b");
        (await records.GetAsync("shard", ["c", 1L])).ShouldBeNull();
        (await records.GetSetAsync("shard")).Tables.Select(t => t.Name).Order().ShouldBe(["t_abc_a", "t_abc_b"]);
        (await Should.ThrowAsync<RecordsException>(() => records.InsertAsync("shard", new Dictionary<string, object?> { ["tenant"] = "x y", ["id"] = 1L }))).Field.ShouldBe("tenant");
        var page = await records.FindAsync("shard", new RecordQuery { Where = JsonDocument.Parse("""{"tenant":"a"}""").RootElement });
        page.Items.Single()["v"].ShouldBe("x");
        (await Should.ThrowAsync<RecordsException>(() => records.FindAsync("shard", new RecordQuery()))).Field.ShouldBe("tenant");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BulkInsert_Chunks_LoadsAndReportsProgress_DuplicateKeepsEarlierChunks(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync(new RecordsOptions { BulkChunkRows = 100 });
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsMapping));
        var seen = new List<long>();
        var progress = new SyncProgress(seen.Add);
        (await records.BulkInsertAsync("news", Rows(0, 250), progress)).ShouldBe(250);
        seen.ShouldBe([100, 200, 250]);
        (await records.GetAsync("news", [249L]))!["author"].ShouldBe("by-t249");

        var e = await Should.ThrowAsync<RecordsException>(() => records.BulkInsertAsync("news", Rows(1000, 150).Concat(Rows(5, 1))));
        e.Code.ShouldBe(RecordsErrorCode.DuplicateKey);
        e.Message.ShouldContain("100 row(s)");
        (await records.StatsAsync("news")).Tables.Single().Rows.ShouldBe(350);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BulkInsert_KeyInHistoryTable_DuplicateKey_ChunkRolledBack(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync(new RecordsOptions { BulkChunkRows = 100 });
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsWithHistory(mainRows: 10, tableRows: 1000, keep: 5)));
        await records.BulkInsertAsync("news", Rows(0, 50));
        (await records.RotateAsync("news")).Moved.ShouldBe(40);

        // Key 7 now lives in history only: the main table's own key cannot refuse it, the load must.
        var e = await Should.ThrowAsync<RecordsException>(() => records.BulkInsertAsync("news", Rows(100, 120).Concat(Rows(7, 1))));
        (e.Code, e.Status).ShouldBe((RecordsErrorCode.DuplicateKey, 409));
        e.Message.ShouldContain("t_news__h000001");
        e.Message.ShouldContain("100 row(s)");
        var stats = await records.StatsAsync("news");
        stats.Tables.Sum(t => t.Rows).ShouldBe(150);
        (await records.FindAsync("news", new RecordQuery { Where = System.Text.Json.JsonSerializer.SerializeToElement(new { id = 7 }), Count = true })).Total.ShouldBe(1);
    }

    internal static async IAsyncEnumerable<IReadOnlyDictionary<string, object?>> Rows(long from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            yield return Harness.Row(i, i);
            await Task.Yield();
        }
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
