using System.Text.Json;
using Grove.Records;
using Xunit.Abstractions;

namespace Grove.Records.Tests;

public sealed class FindTests(ITestOutputHelper output)
{
    private static JsonElement Json(string s) => JsonDocument.Parse(s).RootElement.Clone();

    private static async Task<RecordService> RotatedAsync(Harness h)
    {
        var records = await h.NodeAsync(new RecordsOptions { RotationBatchRows = 50, MaxPageSize = 200 });
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsWithHistory(100, 150, 10)));
        // ct is a permutation of id, so rows of every table interleave in id order.
        await records.BulkInsertAsync("news", Permuted(500));
        (await records.RotateAsync("news")).Moved.ShouldBe(400);
        return records;
    }

    private static async IAsyncEnumerable<IReadOnlyDictionary<string, object?>> Permuted(int n)
    {
        for (long i = 0; i < n; i++)
        {
            yield return Harness.Row(i, i * 7919 % n, $"t{i % 7}");
            await Task.Yield();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Find_CursorPages_GlobalOrderAcrossMainAndHistory(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await RotatedAsync(h);
        var ids = new List<long>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await records.FindAsync("news", new RecordQuery { Sort = ["-id"], Limit = 37, After = after, Count = pages == 0 });
            if (pages++ == 0)
            {
                page.Total.ShouldBe(500);
                page.Items.Select(r => r.Table).Distinct().Count().ShouldBeGreaterThan(1);
            }

            ids.AddRange(page.Items.Select(r => (long)r["id"]!));
            after = page.Next;
        }
        while (after is not null);
        ids.ShouldBe(Enumerable.Range(0, 500).Reverse().Select(i => (long)i));
        pages.ShouldBe(14);

        var third = await records.FindAsync("news", new RecordQuery { Sort = ["id desc"], Limit = 37, Page = 3 });
        third.Items.Select(r => (long)r["id"]!).ShouldBe(ids.Skip(74).Take(37));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Find_FilterSortProjectionHistoryCount(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await RotatedAsync(h);
        var range = await records.FindAsync("news", new RecordQuery { Where = Json("""{"id":{"$gte":100,"$lt":200}}"""), Sort = ["ct"], Limit = 200, Count = true });
        range.Total.ShouldBe(100);
        range.Items.Select(r => (long)r["ct"]!).ShouldBeInOrder();
        range.Items.Select(r => (long)r["id"]!).Order().ShouldBe(Enumerable.Range(100, 100).Select(i => (long)i));
        (await records.FindAsync("news", new RecordQuery { Where = Json("""{"id":"[100,200)"}"""), Count = true, Limit = 1 })).Total.ShouldBe(100);
        (await records.FindAsync("news", new RecordQuery { Where = Json("""{"id":[1,2,3],"title":"t1"}"""), Limit = 10 })).Items.Single()["id"].ShouldBe(1L);
        (await records.FindAsync("news", new RecordQuery { Where = Json("""{"$or":[{"id":1},{"id":{"$in":[2,3]}}]}"""), Count = true })).Total.ShouldBe(3);

        var mainOnly = await records.FindAsync("news", new RecordQuery { History = 0, Count = true, Fields = ["id"] });
        mainOnly.Total.ShouldBe(100);
        mainOnly.Items[0].Keys.ShouldBe(["id"]);
        (await records.FindAsync("news", new RecordQuery { History = 1, Count = true })).Total.ShouldBe(200);
    }

    [Theory]
    [InlineData("""{"nope":1}""", null, null, "nope")]
    [InlineData("""{"id":{"$regex":"x"}}""", null, null, "id")]
    [InlineData("""{"tags":"a"}""", null, null, "tags")]
    [InlineData(null, "nope", null, "nope")]
    [InlineData(null, "title", null, "title")]
    [InlineData(null, null, "nope", "nope")]
    public async Task Find_UnmappedOrUnsortableField_InvalidQuery400(string? where, string? sort, string? field, string named)
    {
        await using var h = (await Harness.OpenAsync(false, output))!;
        var records = await h.NodeAsync();
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsMapping));
        var e = await Should.ThrowAsync<RecordsException>(() => records.FindAsync("news", new RecordQuery
        {
            Where = where is null ? null : Json(where),
            Sort = sort is null ? null : [sort],
            Fields = field is null ? null : [field],
        }));
        (e.Code, e.Status, e.Field).ShouldBe((RecordsErrorCode.InvalidQuery, 400, named));
    }

    [Fact]
    public async Task Find_PageSizeAndCursor_Bounded()
    {
        await using var h = (await Harness.OpenAsync(false, output))!;
        var records = await h.NodeAsync(new RecordsOptions { MaxPageSize = 50, DefaultPageSize = 10, MaxPageOffset = 1000 });
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsMapping));
        (await Should.ThrowAsync<RecordsException>(() => records.FindAsync("news", new RecordQuery { Limit = 51 }))).Status.ShouldBe(400);
        (await Should.ThrowAsync<RecordsException>(() => records.FindAsync("news", new RecordQuery { Limit = 50, Page = 22 }))).Status.ShouldBe(400);
        (await Should.ThrowAsync<RecordsException>(() => records.FindAsync("news", new RecordQuery { After = "garbage!" }))).Status.ShouldBe(400);
        await records.InsertAsync("news", Harness.Row(1, 1));
        await records.InsertAsync("news", Harness.Row(2, 2));
        var first = await records.FindAsync("news", new RecordQuery { Limit = 1, Sort = ["ct"] });
        (await Should.ThrowAsync<RecordsException>(() => records.FindAsync("news", new RecordQuery { After = first.Next, Sort = ["-ct"] }))).Message.ShouldContain("sort order");
        (await records.FindAsync("news", new RecordQuery { Limit = 1, Sort = ["ct"], After = first.Next })).Items.Single()["id"].ShouldBe(2L);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Find_PageNumberAcrossHistory_SameRowsAsCursorWalk_BothDirectionsAndMixed(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await RotatedAsync(h);
        await records.UpdateAsync("news", new Dictionary<string, object?> { ["id"] = 3L, ["ver"] = 1, ["title"] = "x" });
        foreach (var sort in new[] { new[] { "ct" }, ["-ct"], ["-ct", "id"], ["id desc"] })
        {
            var walk = new List<long>();
            string? after = null;
            do
            {
                var page = await records.FindAsync("news", new RecordQuery { Sort = sort, Limit = 37, After = after });
                walk.AddRange(page.Items.Select(r => (long)r["id"]!));
                after = page.Next;
            }
            while (after is not null);
            walk.Count.ShouldBe(500);
            if (sort.Length == 1 && sort[0].TrimStart('-') == "ct")
            {
                // Note that each table holds one run of ct, so a page draws on one table and the others' shares run out first.
                var byCt = Enumerable.Range(0, 500).OrderBy(i => i * 7919 % 500).Select(i => (long)i);
                walk.ShouldBe(sort[0] == "ct" ? byCt : byCt.Reverse());
            }

            for (var p = 1; p <= 15; p++)
            {
                var page = await records.FindAsync("news", new RecordQuery { Sort = sort, Limit = 37, Page = p, Count = p == 15 });
                page.Items.Select(r => (long)r["id"]!).ShouldBe(walk.Skip((p - 1) * 37).Take(37), $"sort {string.Join(",", sort)} page {p}");
                (page.Next is null).ShouldBe(p >= 14);
                if (p == 15)
                {
                    page.Total.ShouldBe(500);
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Find_TablesChangedByAnotherEngineSinceLastPage_EveryRowOnce(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var reader = await h.NodeAsync(new RecordsOptions { CacheCapacity = 0 });
        await using var rotator = await RecordService.OpenAsync(h.Trees[0], new RecordsOptions { RotationBatchRows = 40, CacheCapacity = 0 });
        await reader.DefineAsync("news", RecordMapping.Parse(Harness.NewsWithHistory(100, 150, 10)));
        await reader.BulkInsertAsync("news", CrudTests.Rows(0, 300));
        await rotator.RotateAsync("news");
        (await reader.FindAsync("news", new RecordQuery { Sort = ["-id"], Limit = 10 })).Items.Count.ShouldBe(10);

        // The reader knows two history tables; the other engine fills the second and moves rows into a third.
        await reader.BulkInsertAsync("news", CrudTests.Rows(300, 200));
        (await rotator.RotateAsync("news")).TablesCreated.ShouldBe(1);
        var ids = new List<long>();
        string? after = null;
        do
        {
            var page = await reader.FindAsync("news", new RecordQuery { Sort = ["id"], Limit = 37, After = after });
            ids.AddRange(page.Items.Select(r => (long)r["id"]!));
            after = page.Next;
        }
        while (after is not null);
        ids.ShouldBe(Enumerable.Range(0, 500).Select(i => (long)i));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Find_ShareRunsOutInSeveralTables_PageInGlobalOrder(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        // Note that each history table holds one run of ct: the first 200 by ct lie in the two oldest, whose shares
        // (about a third of the page each) both run out before the 201st key; they are asked again together.
        var records = await RotatedAsync(h);
        var byCt = Enumerable.Range(0, 500).OrderBy(i => i * 7919 % 500).Select(i => (long)i).ToList();
        var first = await records.FindAsync("news", new RecordQuery { Sort = ["ct"], Limit = 200 });
        first.Items.Select(r => (long)r["id"]!).ShouldBe(byCt.Take(200));
        first.Items.Select(r => r.Table).Distinct().Count().ShouldBe(2);
        var second = await records.FindAsync("news", new RecordQuery { Sort = ["ct"], Limit = 200, After = first.Next });
        second.Items.Select(r => (long)r["id"]!).ShouldBe(byCt.Skip(200).Take(200));
        var third = await records.FindAsync("news", new RecordQuery { Sort = ["ct"], Limit = 200, Page = 3 });
        third.Items.Select(r => (long)r["id"]!).ShouldBe(byCt.Skip(400));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Find_FilterMatchingInOneTableOnly_PagesAsIfAlone(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await RotatedAsync(h);
        var where = Json("""{"ct":{"$gte":160,"$lt":290}}""");
        var expected = Enumerable.Range(160, 130).Reverse().Select(i => (long)i).ToList();
        var walk = new List<long>();
        string? after = null;
        do
        {
            var page = await records.FindAsync("news", new RecordQuery { Where = where, Sort = ["-ct"], Limit = 40, After = after });
            page.Items.Select(r => r.Table).Distinct().Count().ShouldBeLessThanOrEqualTo(1);
            walk.AddRange(page.Items.Select(r => (long)r["ct"]!));
            after = page.Next;
        }
        while (after is not null);
        walk.ShouldBe(expected);
        var fourth = await records.FindAsync("news", new RecordQuery { Where = where, Sort = ["-ct"], Limit = 40, Page = 4, Count = true });
        fourth.Items.Select(r => (long)r["ct"]!).ShouldBe(expected.Skip(120));
        fourth.Total.ShouldBe(130);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Find_TwoColumnKeyStringSortAcrossHistory_PagesInGlobalOrderWithWholeRows(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        // Note that a page across tables reads its keys first and then each row by its primary key: with a key of two
        // columns (one repeated in every table) a join on part of it would bring rows of other keys or lose some.
        var records = await h.NodeAsync(new RecordsOptions { RotationBatchRows = 40, MaxPageSize = 200 });
        await records.DefineAsync("orders", RecordMapping.Parse("""
            {
              "tableName": "orders",
              "fields": [
                { "name": "region", "type": "String", "columnName": "region_code" },
                { "name": "seq", "type": "Long" },
                { "name": "name", "type": "String", "notNull": true },
                { "name": "amount", "type": "Long", "notNull": true }
              ],
              "pks": ["region", "seq"],
              "indexes": [ { "name": "by_name", "fields": ["name"] } ],
              "history": { "cutField": "seq", "mainRows": 60, "tableRows": 90, "keep": 10 }
            }
            """));
        string[] names = ["北京", "Beijing", "beijing", "上海", "Shanghai", "a", "B", "深圳"];
        var rows = Enumerable.Range(0, 360).Select(i => (Region: "r" + (i % 3), Seq: (long)(i / 3), Name: names[i * 5 % names.Length] + (i % 11), Amount: (long)i)).ToList();
        await records.BulkInsertAsync("orders", Stream(rows.Select(r => new Dictionary<string, object?> { ["region"] = r.Region, ["seq"] = r.Seq, ["name"] = r.Name, ["amount"] = r.Amount })));
        (await records.RotateAsync("orders")).Moved.ShouldBe(300);

        var expected = rows.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Region, StringComparer.Ordinal).ThenBy(r => r.Seq).ToList();
        var walk = new List<(string, long, string, long)>();
        string? after = null;
        var tables = new HashSet<string>();
        do
        {
            var page = await records.FindAsync("orders", new RecordQuery { Sort = ["name"], Limit = 50, After = after });
            walk.AddRange(page.Items.Select(r => ((string)r["region"]!, (long)r["seq"]!, (string)r["name"]!, (long)r["amount"]!)));
            tables.UnionWith(page.Items.Select(r => r.Table));
            after = page.Next;
            walk.Count.ShouldBeLessThanOrEqualTo(rows.Count);
        }
        while (after is not null);
        walk.ShouldBe(expected.Select(r => (r.Region, r.Seq, r.Name, r.Amount)));
        tables.Count.ShouldBe(5);
        var fifth = await records.FindAsync("orders", new RecordQuery { Sort = ["-name"], Limit = 50, Page = 5 });
        var descending = rows.OrderByDescending(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Region, StringComparer.Ordinal).ThenBy(r => r.Seq);
        fifth.Items.Select(r => (long)r["amount"]!).ShouldBe(descending.Skip(200).Take(50).Select(r => r.Amount));
    }

    private static async IAsyncEnumerable<IReadOnlyDictionary<string, object?>> Stream(IEnumerable<Dictionary<string, object?>> rows)
    {
        foreach (var row in rows)
        {
            yield return row;
            await Task.Yield();
        }
    }

    [Fact]
    public void Shares_UnevenTables_EachAskedForItsPartAndAMarginWithinThePage()
    {
        Grove.Records.Internal.MergedReader.Shares([100, 400, 400, 0], 101).ShouldBe([25, 73, 73, 16]);
        Grove.Records.Internal.MergedReader.Shares([0, 0], 101).ShouldBe([79, 79]);
        Grove.Records.Internal.MergedReader.Shares([1, 1_000_000], 101).ShouldBe([16, 101]);
        Grove.Records.Internal.MergedReader.Shares([7], 101).ShouldBe([101]);
    }

    [Fact]
    public void Shares_DeepPageByNumber_AsksFewKeysBeyondTheOffset()
    {
        // Page 1,000 of 100 over a main table and five history tables: each table's count among the first 100,000
        // keys deviates by about sqrt(n·p·(1 − p)), so asking 1.5× its part (150,000 keys in all) read a third more
        // keys than a deep page by number needs.
        int[] rows = [2, 4, 4, 4, 4, 2];
        var shares = Grove.Records.Internal.MergedReader.Shares([.. rows.Select(r => (long)r * 1_000_000)], 100_000);
        shares.Sum().ShouldBeLessThan(103_000);
        for (var i = 0; i < rows.Length; i++)
        {
            var mean = 100_000.0 * rows[i] / rows.Sum();
            shares[i].ShouldBeGreaterThan((int)(mean + (3.5 * Math.Sqrt(mean))));
        }
    }
}
