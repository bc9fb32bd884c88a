using Grove.Records;
using Xunit.Abstractions;

namespace Grove.Records.Tests;

/// <summary>History strategy partitions: PostgreSQL native range partitioning on the cut field, same API as history tables.</summary>
public sealed class PartitionTests(ITestOutputHelper output)
{
    /// <summary>The news mapping keyed and cut by ct (PostgreSQL's unique keys must include the partition key).</summary>
    public static string Mapping(long mainRows, int keep, long interval, string extraField = "") => $$"""
        {
          "tableName": "t_pnews",
          "fields": [
            { "name": "id", "type": "Long" },
            { "name": "ct", "type": "Long", "notNull": true },
            { "name": "title", "type": "String", "columnName": "title_text" },
            { "name": "ver", "type": "Integer", "isVersion": true }{{extraField}}
          ],
          "pks": ["ct"],
          "indexes": [ { "name": "by_title", "unique": false, "fields": ["title"] } ],
          "history": { "strategy": "partitions", "cutField": "ct", "interval": {{interval}}, "mainRows": {{mainRows}}, "keep": {{keep}} }
        }
        """;

    private static async IAsyncEnumerable<IReadOnlyDictionary<string, object?>> Rows(long from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            yield return new Dictionary<string, object?> { ["id"] = i, ["ct"] = i, ["title"] = $"t{i}" };
            await Task.Yield();
        }
    }

    private static async Task<List<long>> AllCtAsync(RecordService records, string sort = "ct")
    {
        var all = new List<long>();
        string? after = null;
        do
        {
            var page = await records.FindAsync("pnews", new RecordQuery { Sort = [sort], Limit = 7, After = after });
            all.AddRange(page.Items.Select(r => (long)r["ct"]!));
            after = page.Next;
        }
        while (after is not null);
        return all;
    }

    [Fact]
    public async Task Rotate_Partitions_DetachesOldestRanges_SameApiAcross_DropsPastKeep()
    {
        await using var h = await Harness.OpenAsync(postgres: true, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync();
        await records.DefineAsync("pnews", RecordMapping.Parse(Mapping(mainRows: 25, keep: 3, interval: 10)));
        await records.BulkInsertAsync("pnews", Rows(0, 100));
        (await records.GetAsync("pnews", [42L]))!["title"].ShouldBe("t42");

        // Rows inserted before the first rotation sit in the default partition: ranges 0..9 (+4 ahead) are made and
        // take them; the newest ranges holding mainRows (70..99) stay attached; 0..69 are detached, 0..39 dropped (keep 3).
        var result = await records.RotateAsync("pnews");
        result.TablesCreated.ShouldBe(14);
        result.Moved.ShouldBe(70);
        result.TablesDropped.ShouldBe(4);
        result.Complete.ShouldBeTrue();
        var info = await records.GetSetAsync("pnews");
        info.Tables.Where(t => t.Kind == RecordTableKind.History).Select(t => t.Name).ShouldBe(["t_pnews__p000006", "t_pnews__p000005", "t_pnews__p000004"]);
        info.Tables.Where(t => t.Kind == RecordTableKind.Partition).Select(t => t.Seq).ShouldBe([13, 12, 11, 10, 9, 8, 7, -1]);
        var stats = await records.StatsAsync("pnews");
        stats.Tables.Single(t => t.Kind == RecordTableKind.Main).Rows.ShouldBe(30);
        stats.Tables.Where(t => t.Kind == RecordTableKind.History).Sum(t => t.Rows).ShouldBe(30);

        // Same API: get, page across main and history in one order, update in history, duplicate keys, new rows.
        (await records.GetAsync("pnews", [45L]))!.Table.ShouldBe("t_pnews__p000004");
        (await records.GetAsync("pnews", [95L]))!.Table.ShouldBe("t_pnews");
        (await records.GetAsync("pnews", [5L])).ShouldBeNull("range 0 was dropped");
        (await AllCtAsync(records)).ShouldBe(Enumerable.Range(40, 60).Select(i => (long)i));
        (await AllCtAsync(records, "-ct")).ShouldBe(Enumerable.Range(40, 60).Select(i => (long)i).Reverse());
        (await records.FindAsync("pnews", new RecordQuery { Sort = ["-ct"], Limit = 5, History = 1, Count = true })).Total.ShouldBe(40);
        var updated = await records.UpdateAsync("pnews", new Dictionary<string, object?> { ["ct"] = 45L, ["ver"] = 1, ["title"] = "old news" });
        (updated.Table, Convert.ToInt64(updated["ver"], System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(("t_pnews__p000004", 2L));
        (await records.GetAsync("pnews", [45L]))!["title"].ShouldBe("old news");
        (await Should.ThrowAsync<RecordsException>(() => records.InsertAsync("pnews", new Dictionary<string, object?> { ["id"] = 1L, ["ct"] = 45L }))).Code.ShouldBe(RecordsErrorCode.DuplicateKey);
        (await records.InsertAsync("pnews", new Dictionary<string, object?> { ["id"] = 1L, ["ct"] = 125L, ["title"] = "new" })).Table.ShouldBe("t_pnews");
        (await records.InsertAsync("pnews", new Dictionary<string, object?> { ["id"] = 1L, ["ct"] = 3L, ["title"] = "late" }))["title"].ShouldBe("late");
        (await records.DeleteAsync("pnews", [46L])).ShouldBeTrue();

        // A new field reaches the partitioned main table (and its partitions) and the detached tables.
        await records.DefineAsync("pnews", RecordMapping.Parse(Mapping(25, 3, 10, """, { "name": "score", "type": "Integer" }""")));
        (await records.UpdateAsync("pnews", new Dictionary<string, object?> { ["ct"] = 47L, ["ver"] = 1, ["score"] = 7 }))["score"].ShouldBe((object)7);
        (await records.InsertAsync("pnews", new Dictionary<string, object?> { ["id"] = 2L, ["ct"] = 96L + 30, ["score"] = 8 }))["score"].ShouldBe((object)8);

        // Changing the strategy or the interval would reshape the table: refused, nothing changes.
        (await Should.ThrowAsync<RecordsException>(() => records.DefineAsync("pnews", RecordMapping.Parse(Mapping(25, 3, 20, """, { "name": "score", "type": "Integer" }"""))))).Code.ShouldBe(RecordsErrorCode.DestructiveChange);
    }

    [Fact]
    public async Task Rotate_Partitions_CrashBetweenDetaches_ResumesEveryRowOnce()
    {
        await using var h = await Harness.OpenAsync(postgres: true, output);
        if (h is null)
        {
            return;
        }

        var first = await h.NodeAsync(new RecordsOptions { RotationLease = TimeSpan.FromSeconds(1) });
        await first.DefineAsync("pnews", RecordMapping.Parse(Mapping(mainRows: 20, keep: 100, interval: 10)));
        await first.BulkInsertAsync("pnews", Rows(0, 100));
        first.RotationBatchHook = moved =>
        {
            if (moved >= 20)
            {
                throw new InvalidOperationException("killed");
            }
        };
        (await Should.ThrowAsync<InvalidOperationException>(() => first.RotateAsync("pnews"))).Message.ShouldBe("killed");
        (await AllCtAsync(first)).ShouldBe(Enumerable.Range(0, 100).Select(i => (long)i));

        var second = await h.NodeAsync();
        first.RotationBatchHook = null;
        var result = await second.RotateAsync("pnews");
        result.Moved.ShouldBe(60);
        result.TablesCreated.ShouldBe(0);
        var stats = await second.StatsAsync("pnews");
        stats.Tables.Single(t => t.Kind == RecordTableKind.Main).Rows.ShouldBe(20);
        stats.Tables.Where(t => t.Kind == RecordTableKind.History).Select(t => t.Rows).ShouldBe(Enumerable.Repeat(10L, 8));
        (await AllCtAsync(second)).ShouldBe(Enumerable.Range(0, 100).Select(i => (long)i));
        (await second.RotateAsync("pnews")).Moved.ShouldBe(0);
    }

    [Fact]
    public async Task Define_PartitionsOnSqliteOrWithoutCutInKey_InvalidMappingNamingTheField()
    {
        await using var h = (await Harness.OpenAsync(false, output))!;
        var records = await h.NodeAsync();
        var e = await Should.ThrowAsync<RecordsException>(() => records.DefineAsync("pnews", RecordMapping.Parse(Mapping(10, 2, 10))));
        (e.Code, e.Field).ShouldBe((RecordsErrorCode.InvalidMapping, "history.strategy"));
        (await records.ListSetsAsync()).ShouldBeEmpty();

        Should.Throw<RecordsException>(() => RecordMapping.Parse(Mapping(10, 2, 10).Replace("\"pks\": [\"ct\"]", "\"pks\": [\"id\"]", StringComparison.Ordinal))).Field.ShouldBe("ct");
        Should.Throw<RecordsException>(() => RecordMapping.Parse(Mapping(10, 2, 10).Replace("\"interval\": 10,", "", StringComparison.Ordinal))).Field.ShouldBe("history.interval");
        Should.Throw<RecordsException>(() => RecordMapping.Parse(Mapping(10, 2, 10).Replace("partitions", "shards", StringComparison.Ordinal))).Field.ShouldBe("history.strategy");
        RecordMapping.Parse(RecordMapping.Parse(Mapping(10, 2, 10)).ToJson()).History.ShouldBe(RecordMapping.Parse(Mapping(10, 2, 10)).History);
    }
}
