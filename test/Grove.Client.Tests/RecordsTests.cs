using System.Text;

namespace Grove.Client.Tests;

/// <summary>Record sets through the SDK: define, insert, get, update (version conflict), find, bulk, rotate, stats, delete.</summary>
public sealed class RecordsTests : ClientTestBase
{
    private const string Mapping = """
        {"tableName":"t_orders","fields":[{"name":"id","type":"Long"},{"name":"ct","type":"Long","notNull":true},
         {"name":"who"},{"name":"ver","type":"Integer","isVersion":true}],"pks":["id"],
         "history":{"cutField":"ct","mainRows":2,"tableRows":100,"keep":2}}
        """;

    [Fact]
    public async Task RecordCalls_RoundTripThroughTheServer()
    {
        (await Admin.DefineRecordSetAsync("orders", Mapping)).GetProperty("revision").GetInt32().ShouldBe(1);
        (await Admin.ListRecordSetsAsync()).ShouldBe(["orders"]);
        (await Admin.InsertRecordAsync("orders", new { id = 1, ct = 1, who = "ann" })).GetProperty("ver").GetInt32().ShouldBe(1);
        (await Admin.GetRecordAsync("orders", [1]))!.Value.GetProperty("who").GetString().ShouldBe("ann");
        (await Admin.GetRecordAsync("orders", [9])).ShouldBeNull();

        (await Admin.UpdateRecordAsync("orders", [1], new { ver = 1, who = "bob" })).GetProperty("ver").GetInt32().ShouldBe(2);
        await ShouldBeRefusedAsync(() => Admin.UpdateRecordAsync("orders", [1], new { ver = 1, who = "eve" }), 409, "conflict");
        await ShouldBeRefusedAsync(() => Admin.InsertRecordAsync("orders", new { id = 1, ct = 1 }), 409, "duplicate_key");

        var ndjson = new MemoryStream(Encoding.UTF8.GetBytes("{\"id\":2,\"ct\":2}\n{\"id\":3,\"ct\":3}\n{\"id\":4,\"ct\":4}\n"));
        (await Admin.BulkLoadRecordsAsync("orders", ndjson, "application/x-ndjson")).ShouldBe(3);
        (await Admin.RotateRecordsAsync("orders")).GetProperty("moved").GetInt32().ShouldBe(2);
        var stats = await Admin.RecordStatsAsync("orders");
        stats.GetProperty("tables").GetArrayLength().ShouldBe(2);

        var page = await Admin.FindRecordsAsync("orders", """{"sort":["id"],"limit":3,"count":true}""");
        page.GetProperty("total").GetInt32().ShouldBe(4);
        page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).ShouldBe([1, 2, 3]);
        await ShouldBeRefusedAsync(() => Admin.FindRecordsAsync("orders", """{"sort":["nope"]}"""), 400, "invalid_query");

        (await Admin.DeleteRecordAsync("orders", [1])).ShouldBeTrue();
        (await Admin.DeleteRecordAsync("orders", [1])).ShouldBeFalse();
    }

    [Fact]
    public async Task InsertRecords_BatchWithATakenKey_RefusedWholeOrSkipped()
    {
        await Admin.DefineRecordSetAsync("orders", Mapping);
        await Admin.InsertRecordAsync("orders", new { id = 1, ct = 1 });
        await ShouldBeRefusedAsync(() => Admin.InsertRecordsAsync("orders", [new { id = 5, ct = 5 }, new { id = 1, ct = 1 }]), 409, "duplicate_key");
        (await Admin.GetRecordAsync("orders", [5])).ShouldBeNull();

        (await Admin.InsertRecordsAsync("orders", [new { id = 5, ct = 5 }, new { id = 1, ct = 1 }, new { id = 6, ct = 6 }], skipDuplicates: true)).ShouldBe((2L, 1L));
        (await Admin.GetRecordAsync("orders", [6]))!.Value.GetProperty("ct").GetInt32().ShouldBe(6);
    }
}
