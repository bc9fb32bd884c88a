namespace Grove.Messages.Tests;

public sealed class QueryTests : IAsyncLifetime
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private MessageHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await MessageHarness.OpenAsync(options: new MessageOptions { Time = _clock });
        await _h.PublishAsync("acme", "waybill", MessageHarness.WaybillMapping);
        await _h.PublishAsync("other", "waybill", MessageHarness.WaybillMapping);
        for (var i = 0; i < 25; i++)
        {
            await _h.SendAsync("acme", "waybill", MessageHarness.Waybill($"m-{i}", $"WB{i:D3}", items: 1, shipper: i % 2 == 0 ? "上海仓" : "北京仓", weight: $"{i}.5", status: i % 3 == 0 ? "2" : "1"));
            _clock.Advance(TimeSpan.FromHours(1));
        }

        await _h.SendAsync("other", "waybill", MessageHarness.Waybill("o-1", "WB001"));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Query_KeysetPages_CoverEveryMessageOnce()
    {
        var seen = new List<long>();
        string? after = null;
        do
        {
            var page = await _h.Messages.QueryAsync(new MessageQuery { Partner = "acme", Limit = 7, After = after });
            page.Items.Count.ShouldBeLessThanOrEqualTo(7);
            seen.AddRange(page.Items.Select(m => m.Id));
            after = page.Next;
        }
        while (after is not null);

        seen.Count.ShouldBe(25);
        seen.ShouldBe(seen.OrderByDescending(x => x).ToList());
        (await _h.Messages.StreamAsync(new MessageQuery { Limit = 4 }).CountAsync()).ShouldBe(26);
    }

    [Fact]
    public async Task Query_ByBusinessKeyTimeAndFields_FindsExactlyThose()
    {
        (await _h.Messages.QueryAsync(new MessageQuery { Keys = new Dictionary<string, string> { ["waybillNo"] = "WB001" } })).Items.Select(m => m.Partner).ShouldBe(["other", "acme"]);
        (await _h.Messages.QueryAsync(new MessageQuery { Partner = "acme", Keys = new Dictionary<string, string> { ["waybillNo"] = "WB001" } })).Items.Single().SourceId.ShouldBe("m-1");

        var from = DateTimeOffset.Parse("2026-12-01T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var window = await _h.Messages.QueryAsync(new MessageQuery { Partner = "acme", From = from, To = from.AddHours(3) });
        window.Items.Select(m => m.SourceId).ShouldBe(["m-7", "m-6", "m-5"]);

        var heavy = await _h.Messages.QueryAsync(new MessageQuery { Partner = "acme", Type = "waybill", Where = """{"weight": "[20,)", "shipper": "上海*"}""" });
        heavy.Items.Select(m => m.SourceId).ShouldBe(["m-24", "m-22", "m-20"]);
        var signed = await _h.Messages.QueryAsync(new MessageQuery { Partner = "acme", Where = """{"status": "2", "pieces": {"$gte": 1}}""", Limit = 100 });
        signed.Items.Count.ShouldBe(9);
        var either = await _h.Messages.QueryAsync(new MessageQuery { Partner = "acme", Where = """[{"waybillNo": "WB003"}, {"waybillNo": "WB004"}]""" });
        either.Items.Count.ShouldBe(2);
        var sent = await _h.Messages.QueryAsync(new MessageQuery { Partner = "acme", Type = "waybill", Where = """{"sentAt": "[2026-11-30,2026-12-02)"}""", Limit = 1000 });
        sent.Items.Count.ShouldBe(25);
    }

    [Fact]
    public async Task Query_BadInput_InvalidArgument()
    {
        (await Should.ThrowAsync<MessageException>(() => _h.Messages.QueryAsync(new MessageQuery { After = "x" }))).Code.ShouldBe(MessageErrorCode.InvalidArgument);
        (await Should.ThrowAsync<MessageException>(() => _h.Messages.QueryAsync(new MessageQuery { Where = "{bad" }))).Code.ShouldBe(MessageErrorCode.InvalidArgument);
        (await Should.ThrowAsync<MessageException>(() => _h.Messages.QueryAsync(new MessageQuery { Where = """{"a'b": 1}""" }))).Code.ShouldBe(MessageErrorCode.InvalidArgument);
        (await Should.ThrowAsync<MessageException>(() => _h.Messages.QueryAsync(new MessageQuery { Limit = 0 }))).Code.ShouldBe(MessageErrorCode.InvalidArgument);
        (await Should.ThrowAsync<MessageException>(() => _h.Messages.GetAsync(999_999))).Status.ShouldBe(404);
    }
}
