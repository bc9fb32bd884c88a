using System.Text.Json;
using Grove.Records;

namespace Grove.Messages.Tests;

/// <summary>Messages are rows of the records engine's set <c>grove_messages</c>: history tables, resends across them, and what records shows of them.</summary>
public sealed class RecordStorageTests
{
    [Fact]
    public async Task Receive_WithHistory_ResendOfARotatedMessageReturnsTheFirstAndPagesSpanEveryTable()
    {
        await using var h = await MessageHarness.OpenAsync();
        await using var records = await RecordService.OpenAsync(h.Tree, new RecordsOptions { RotationBatchRows = 7 });
        var history = new HistoryPolicy { CutField = "id", MainRows = 5, TableRows = 10, Keep = 1_000 };
        await using var messages = await MessageEngine.OpenAsync(records, h.Config, new MessageOptions { History = history });
        await h.PublishAsync("acme", "waybill", MessageHarness.WaybillMapping);
        var ids = new List<long>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((await messages.ReceiveAsync(Request($"m-{i}", $"WB{i:000}"))).Id);
        }

        (await records.RotateAsync(MessageSetName)).Moved.ShouldBe(25);
        var tables = (await records.GetSetAsync(MessageSetName)).Tables;
        tables.Count(t => t.Kind == RecordTableKind.History).ShouldBe(3);

        // A resend of a message now in a history table stores nothing and answers the first message.
        var again = await messages.ReceiveAsync(Request("m-2", "WB-changed"));
        again.Duplicate.ShouldBeTrue();
        again.Id.ShouldBe(ids[2]);
        (await messages.FindAsync("acme", "m-2")).Fields.Single(f => f.Name == "waybillNo").Value.ShouldBe("WB002");

        // Pages newest first across the main and history tables, by cursor, each message once; a mapped-field filter too.
        var seen = new List<long>();
        var q = new MessageQuery { Partner = "acme", Limit = 4 };
        while (true)
        {
            var page = await messages.QueryAsync(q);
            seen.AddRange(page.Items.Select(m => m.Id));
            if (page.Next is null)
            {
                break;
            }

            q = q with { After = page.Next };
        }

        seen.ShouldBe(Enumerable.Reverse(ids));
        var filtered = await messages.QueryAsync(new MessageQuery { Partner = "acme", Type = "waybill", Where = """{"waybillNo": "WB00*"}""", Limit = 100 });
        filtered.Items.Select(m => m.Id).ShouldBe(Enumerable.Reverse(ids.Take(10)));
        (await messages.QueryAsync(new MessageQuery { Keys = new Dictionary<string, string> { ["waybillNo"] = "WB003" }, Limit = 5 })).Items.Single().Id.ShouldBe(ids[3]);
    }

    [Fact]
    public async Task Open_MessagesAreAnEngineSet_UsersCannotDefineItAndAdminsReadItsRows()
    {
        await using var h = await MessageHarness.OpenAsync();
        await h.PublishAsync("acme", "waybill", MessageHarness.WaybillMapping);
        var first = await h.SendAsync("acme", "waybill", MessageHarness.Waybill("m-1", "WB001"));
        await using var records = await RecordService.OpenAsync(h.Tree);
        (await records.ListSetsAsync()).ShouldContain(MessageSetName);
        var info = await records.GetSetAsync(MessageSetName);
        (await Should.ThrowAsync<RecordsException>(() => records.DefineAsync(MessageSetName, info.Mapping))).Field.ShouldBe("name");

        var rows = await records.FindAsync(MessageSetName, new RecordQuery { Where = JsonDocument.Parse("""{"source_id": "m-1"}""").RootElement, Fields = ["id", "partner", "doc"] });
        var row = rows.Items.ShouldHaveSingleItem();
        row["id"].ShouldBe(first.Id);
        row["partner"].ShouldBe("acme");
        row["doc"].ShouldBeOfType<byte[]>().Length.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Query_RegexOverMappedField_WorksOnSqliteAndATimingOutPatternIsRefused()
    {
        await using var h = await MessageHarness.OpenAsync();
        await h.PublishAsync("acme", "waybill", MessageHarness.WaybillMapping);
        await h.SendAsync("acme", "waybill", MessageHarness.Waybill("m-1", "WB-123"));
        await h.SendAsync("acme", "waybill", MessageHarness.Waybill("m-2", "XX-9"));
        var page = await h.Messages.QueryAsync(new MessageQuery { Partner = "acme", Type = "waybill", Where = """{"waybillNo": "^WB-\\d+$"}""", Limit = 10 });
        page.Items.Select(m => m.SourceId).ShouldBe(["m-1"]);
        await h.SendAsync("acme", "waybill", MessageHarness.Waybill("m-3", new string('a', 5_000) + "!"));
        var slow = Should.ThrowAsync<MessageException>(() => h.Messages.QueryAsync(new MessageQuery { Partner = "acme", Where = """{"waybillNo": "^(a+)+$"}""", Limit = 10 }));
        var refused = await slow;
        refused.Code.ShouldBe(MessageErrorCode.InvalidArgument);
        refused.Message.ShouldContain("too long");
    }

    private const string MessageSetName = "grove_messages";

    private static ReceiveRequest Request(string sourceId, string waybill) =>
        new() { Partner = "acme", Type = "waybill", Body = System.Text.Encoding.UTF8.GetBytes(MessageHarness.Waybill(sourceId, waybill)) };
}
