using System.Text.Json;
using Grove.Records;
using Grove.Tree.Storage;
using Xunit.Abstractions;

namespace Grove.Records.Tests;

/// <summary>Many rows in one transaction: all or none, duplicates refused or skipped (history tables included), extra statements committed with them.</summary>
public sealed class BatchInsertTests(ITestOutputHelper output)
{
    private const string Coded = """
        {
          "tableName": "coded",
          "fields": [
            { "name": "id", "type": "Long" },
            { "name": "ct", "type": "Long", "notNull": true },
            { "name": "code", "type": "String" },
            { "name": "blob", "type": "Bytes" }
          ],
          "pks": ["id"],
          "indexes": [ { "name": "by_code", "unique": true, "fields": ["code"] } ],
          "history": { "cutField": "ct", "mainRows": 10, "tableRows": 20, "keep": 10 }
        }
        """;

    private static Dictionary<string, object?> Row(long id, string? code, byte[]? blob = null) =>
        new() { ["id"] = id, ["ct"] = id, ["code"] = code, ["blob"] = blob };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InsertMany_TakenKeyOrUniqueValueInMainOrHistory_RefusedWholeOrSkippedOneByOne(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync(new RecordsOptions { CacheCapacity = 0 });
        await records.DefineAsync("coded", RecordMapping.Parse(Coded));
        var first = await records.InsertManyAsync("coded", [.. Enumerable.Range(0, 50).Select(i => Row(i, "c" + i, [(byte)i, 0, 255]))]);
        first.Count.ShouldBe(50);
        first.ShouldAllBe(r => r != null);
        (await records.RotateAsync("coded")).Moved.ShouldBe(40);

        // Refused: a taken key or a unique value anywhere refuses the whole batch, and nothing of it is written.
        foreach (var taken in new[] { Row(5, "fresh"), Row(100, "c3"), Row(101, "c49"), Row(102, "twice") })
        {
            var batch = new[] { Row(200, "a"), taken, Row(201, "b") }.Concat(taken["code"] is "twice" ? [Row(103, "twice")] : []).ToList();
            var e = await Should.ThrowAsync<RecordsException>(() => records.InsertManyAsync("coded", [.. batch]));
            e.Code.ShouldBe(RecordsErrorCode.DuplicateKey);
            (await records.GetAsync("coded", [200L])).ShouldBeNull();
        }

        // Skipped: the same rows each answer null, the others are written.
        var answers = await records.InsertManyAsync("coded", [Row(5, "fresh"), Row(100, "c3"), Row(101, "c49"), Row(102, "new", [1, 2])], new RecordWriteOptions { SkipDuplicates = true, Returning = ["blob"] });
        answers.Select(a => a is null).ShouldBe([true, true, true, false]);
        answers[3]!.Keys.Order().ShouldBe(["blob", "id"]);
        ((byte[])answers[3]!["blob"]!).ShouldBe(new byte[] { 1, 2 });
        (await records.GetAsync("coded", [5L]))!["code"].ShouldBe("c5");
        (await records.GetAsync("coded", [100L])).ShouldBeNull();
        ((byte[])(await records.GetAsync("coded", [7L]))!["blob"]!).ShouldBe(new byte[] { 7, 0, 255 });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InsertMany_AlsoInTransaction_CommitsWithTheRowsOrRollsThemBack(bool postgres)
    {
        await using var h = await Harness.OpenAsync(postgres, output);
        if (h is null)
        {
            return;
        }

        var records = await h.NodeAsync(new RecordsOptions { CacheCapacity = 0 });
        await records.DefineAsync("coded", RecordMapping.Parse(Coded));
        await using (var c = await records.Storage.OpenConnectionAsync(default))
        {
            await EngineStorage.ExecAsync(c, null, "CREATE TABLE ledger (n BIGINT)", default);
        }

        Task Note(RecordTransaction tx, CancellationToken ct)
        {
            var cmd = EngineStorage.Command(tx.Connection, tx.Transaction, "INSERT INTO ledger (n) VALUES (@n)");
            EngineStorage.Parameter(cmd, "n", (long)tx.Written.Count(r => r is not null));
            return cmd.ExecuteNonQueryAsync(ct);
        }

        await records.InsertManyAsync("coded", [Row(1, "a"), Row(2, "b")], new RecordWriteOptions { AlsoInTransaction = Note });
        var failing = new RecordWriteOptions { AlsoInTransaction = async (tx, ct) => { await Note(tx, ct); throw new InvalidOperationException("checkpoint failed"); } };
        await Should.ThrowAsync<InvalidOperationException>(() => records.InsertManyAsync("coded", [Row(3, "c")], failing));

        (await records.GetAsync("coded", [3L])).ShouldBeNull();
        await using var read = await records.Storage.OpenConnectionAsync(default);
        await using var sum = EngineStorage.Command(read, null, "SELECT count(*), sum(n) FROM ledger");
        await using var r = await sum.ExecuteReaderAsync();
        await r.ReadAsync();
        (Convert.ToInt64(r.GetValue(0)), Convert.ToInt64(r.GetValue(1))).ShouldBe((1L, 2L));
    }

    [Fact]
    public async Task Bytes_FilterSortOrWrongValue_RefusedNullFilterWorks()
    {
        await using var h = (await Harness.OpenAsync(false, output))!;
        var records = await h.NodeAsync();
        await records.DefineAsync("coded", RecordMapping.Parse(Coded));
        await records.InsertManyAsync("coded", [Row(1, "a", [9]), Row(2, "b")]);
        (await Should.ThrowAsync<RecordsException>(() => records.FindAsync("coded", new RecordQuery { Where = JsonDocument.Parse("""{"blob":"CQ=="}""").RootElement })))
            .Code.ShouldBe(RecordsErrorCode.InvalidQuery);
        (await Should.ThrowAsync<RecordsException>(() => records.FindAsync("coded", new RecordQuery { Sort = ["blob"] }))).Code.ShouldBe(RecordsErrorCode.InvalidQuery);
        (await Should.ThrowAsync<RecordsException>(() => records.InsertAsync("coded", new Dictionary<string, object?> { ["id"] = 3L, ["ct"] = 3L, ["blob"] = "not base64!" })))
            .Code.ShouldBe(RecordsErrorCode.InvalidArgument);
        var nulls = await records.FindAsync("coded", new RecordQuery { Where = JsonDocument.Parse("""{"blob":null}""").RootElement });
        nulls.Items.Select(r => r["id"]).ShouldBe([2L]);
        ((byte[])(await records.InsertAsync("coded", new Dictionary<string, object?> { ["id"] = 4L, ["ct"] = 4L, ["blob"] = "CQo=" }))["blob"]!).ShouldBe(new byte[] { 9, 10 });
    }

    [Fact]
    public async Task Define_ReservedPrefix_RefusedExceptForAnEngineSet()
    {
        await using var h = (await Harness.OpenAsync(false, output))!;
        var records = await h.NodeAsync();
        var mine = RecordMapping.Parse(Coded.Replace("\"coded\"", "\"grove_coded\"", StringComparison.Ordinal));
        (await Should.ThrowAsync<RecordsException>(() => records.DefineAsync("coded", mine))).Field.ShouldBe("tableName");
        (await Should.ThrowAsync<RecordsException>(() => records.DefineAsync("grove_coded", RecordMapping.Parse(Coded)))).Field.ShouldBe("name");
        (await Should.ThrowAsync<RecordsException>(() => records.DefineEngineSetAsync("coded", mine))).Field.ShouldBe("name");
        (await records.DefineEngineSetAsync("grove_coded", mine)).Name.ShouldBe("grove_coded");
        (await records.InsertManyAsync("grove_coded", [Row(1, "a")])).Count.ShouldBe(1);
    }
}
