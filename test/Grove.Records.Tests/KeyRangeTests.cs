using Grove.Records;
using Grove.Tree.Storage;
using Xunit.Abstractions;

namespace Grove.Records.Tests;

/// <summary>History tables keep the range of their integer key, and a key is looked for only where the range has it.</summary>
public sealed class KeyRangeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rotate_CutFieldNotTheKey_RangesBoundEachTableAndEveryKeyIsFound(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync(new RecordsOptions { RotationBatchRows = 40, CacheCapacity = 0 });
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsWithHistory(100, 150, 10)));
        await records.BulkInsertAsync("news", Shuffled(500));
        (await records.RotateAsync("news")).Moved.ShouldBe(400);

        var info = await records.GetSetAsync("news");
        var byTable = new Dictionary<string, List<long>>();
        for (long id = 0; id < 500; id++)
        {
            var row = (await records.GetAsync("news", [id])).ShouldNotBeNull($"key {id}");
            row["id"].ShouldBe(id);
            (byTable.TryGetValue(row.Table, out var ids) ? ids : byTable[row.Table] = []).Add(id);
        }

        var history = info.Tables.Where(t => t.Kind == RecordTableKind.History).ToList();
        history.Count.ShouldBe(3);
        foreach (var t in history)
        {
            (t.KeyMin, t.KeyMax).ShouldBe((byTable[t.Name].Min(), byTable[t.Name].Max()), t.Name);
        }

        // Keys that live in history are still duplicates for an insert and for a bulk load (which commits nothing of its chunk).
        var old = byTable[history[^1].Name][3];
        (await Should.ThrowAsync<RecordsException>(() => records.InsertAsync("news", Harness.Row(old, 9_999)))).Code.ShouldBe(RecordsErrorCode.DuplicateKey);
        var load = Should.ThrowAsync<RecordsException>(() => records.BulkInsertAsync("news", Rows([600, 601, old, 602])));
        (await load).Code.ShouldBe(RecordsErrorCode.DuplicateKey);
        (await records.GetAsync("news", [600L])).ShouldBeNull();
        (await records.UpsertAsync("news", Harness.Row(old, 9_999, "again"))).Table.ShouldBe(history[^1].Name);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Open_HistoryTablesFromBeforeKeyRanges_RangesReadFromTheirRows(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync(new RecordsOptions { RotationBatchRows = 40, CacheCapacity = 0 });
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsWithHistory(100, 150, 10)));
        await records.BulkInsertAsync("news", Shuffled(500));
        await records.RotateAsync("news");
        var expected = (await records.GetSetAsync("news")).Tables.Where(t => t.Kind == RecordTableKind.History).Select(t => (t.Name, t.KeyMin, t.KeyMax)).ToList();

        // The catalog as schema 2 left it: no ranges; every history table is then searched, and still found.
        var tree = h.Trees[0];
        await using (var c = await tree.Engines.OpenConnectionAsync(CancellationToken.None))
        {
            foreach (var sql in new[]
            {
                "ALTER TABLE grove_record_tables DROP COLUMN key_min",
                "ALTER TABLE grove_record_tables DROP COLUMN key_max",
                "ALTER TABLE grove_record_tables DROP COLUMN ranged",
                "UPDATE grove_schema SET version = 2 WHERE engine = 'records'",
            })
            {
                await EngineStorage.ExecAsync(c, null, sql, CancellationToken.None);
            }
        }

        await using var reopened = await RecordService.OpenAsync(tree, new RecordsOptions { CacheCapacity = 0 });
        (await reopened.GetSetAsync("news")).Tables.Where(t => t.Kind == RecordTableKind.History).Select(t => (t.Name, t.KeyMin, t.KeyMax)).ShouldBe(expected);
        for (long id = 0; id < 500; id += 7)
        {
            (await reopened.GetAsync("news", [id])).ShouldNotBeNull($"key {id}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Get_TablesChangedByAnotherEngineSinceLastRead_StillFindsEveryRow(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var reader = await h.NodeAsync(new RecordsOptions { CacheCapacity = 0 });
        await using var rotator = await RecordService.OpenAsync(h.Trees[0], new RecordsOptions { RotationBatchRows = 40, CacheCapacity = 0 });
        await reader.DefineAsync("news", RecordMapping.Parse(Harness.NewsWithHistory(100, 150, 2)));
        await reader.BulkInsertAsync("news", CrudTests.Rows(0, 300));
        await rotator.RotateAsync("news");
        (await reader.GetAsync("news", [5L])).ShouldNotBeNull();

        // The reader now knows two history tables; the other engine moves rows into a third and drops the oldest.
        await reader.BulkInsertAsync("news", CrudTests.Rows(300, 200));
        var result = await rotator.RotateAsync("news");
        result.TablesDropped.ShouldBe(1);
        var tables = (await rotator.GetSetAsync("news")).Tables;
        for (long id = 0; id < 500; id++)
        {
            var row = await reader.GetAsync("news", [id]);
            if (row is null)
            {
                tables.ShouldNotContain(t => t.Kind == RecordTableKind.History && t.KeyMin <= id && id <= t.KeyMax, $"key {id}");
                id.ShouldBeLessThan(150L, "only the dropped table's rows are gone");
            }
            else
            {
                row["id"].ShouldBe(id);
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Get_KeyInAHistoryRangeWrittenAgainToMain_FoundInMain(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync(new RecordsOptions { RotationBatchRows = 40, CacheCapacity = 0 });
        await records.DefineAsync("news", RecordMapping.Parse(Harness.NewsWithHistory(100, 150, 10)));
        await records.BulkInsertAsync("news", CrudTests.Rows(0, 300));
        await records.RotateAsync("news");
        var moved = (await records.GetAsync("news", [7L])).ShouldNotBeNull();
        moved.Table.ShouldNotBe("t_news");

        // The history table keeps its range (7 in it); the row now lives in main, looked for after that table.
        (await records.DeleteAsync("news", [7L])).ShouldBeTrue();
        await records.InsertAsync("news", Harness.Row(7, 99_999, "again"));
        var again = (await records.GetAsync("news", [7L])).ShouldNotBeNull();
        (again.Table, again["title"]).ShouldBe(("t_news", "again"));
        (await records.GetAsync("news", [8L])).ShouldNotBeNull().Table.ShouldBe(moved.Table);
        (await records.GetAsync("news", [1_000L])).ShouldBeNull();
    }

    /// <summary>Keys 0…n-1 whose cut (ct) orders them differently from the key, so each history table holds a spread of keys.</summary>
    private static async IAsyncEnumerable<IReadOnlyDictionary<string, object?>> Shuffled(int n)
    {
        for (long id = 0; id < n; id++)
        {
            yield return Harness.Row(id, id * 7_919 % n);
            await Task.Yield();
        }
    }

    private static async IAsyncEnumerable<IReadOnlyDictionary<string, object?>> Rows(long[] ids)
    {
        foreach (var id in ids)
        {
            yield return Harness.Row(id, 100_000 + id);
            await Task.Yield();
        }
    }
}
