using Xunit.Abstractions;

namespace Grove.Messages.Tests;

public sealed class PostgresMessageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Postgres_ReceiveResendQueryShow_SameAsSqlite()
    {
        var store = await PostgresServer.DatabaseOrSkipAsync(output);
        if (store is null)
        {
            return;
        }

        await using var h = await MessageHarness.OpenAsync(store);
        await h.PublishAsync("acme", "waybill", MessageHarness.WaybillMapping);
        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add((await h.SendAsync("acme", "waybill", MessageHarness.Waybill($"m-{i}", $"WB{i:D3}", shipper: i < 6 ? "上海仓" : "北京仓", weight: $"{i}"))).Id);
        }

        var again = await h.SendAsync("acme", "waybill", MessageHarness.Waybill("m-3", "X"));
        again.Duplicate.ShouldBeTrue();
        again.Id.ShouldBe(ids[3]);

        var view = await h.Messages.FindAsync("acme", "m-5");
        view.Fields[0].Value.ShouldBe("WB005");
        view.DetailRows.Count.ShouldBe(2);
        (await h.Messages.QueryAsync(new MessageQuery { Keys = new Dictionary<string, string> { ["waybillNo"] = "WB007" } })).Items.Single().Id.ShouldBe(ids[7]);
        (await h.Messages.QueryAsync(new MessageQuery { Partner = "acme", Type = "waybill", Where = """{"weight": "[8,)", "shipper": "北京*"}""" })).Items.Count.ShouldBe(4);
        (await h.Messages.QueryAsync(new MessageQuery { Where = """{"shipper": "^上海.*"}""" })).Items.Count.ShouldBe(6);

        var pages = 0;
        var total = 0;
        string? after = null;
        do
        {
            var page = await h.Messages.QueryAsync(new MessageQuery { Limit = 5, After = after });
            total += page.Items.Count;
            after = page.Next;
            pages++;
        }
        while (after is not null);

        (pages, total).ShouldBe((3, 12));
        (await h.Messages.StatsAsync()).Count.ShouldBe(12);
    }
}
