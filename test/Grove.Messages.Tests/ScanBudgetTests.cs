namespace Grove.Messages.Tests;

/// <summary>A filter on mapped fields tests at most <see cref="MessageOptions.MaxScan"/> documents per page.</summary>
public sealed class ScanBudgetTests : IAsyncLifetime
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private MessageHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await MessageHarness.OpenAsync(options: new MessageOptions { Time = _clock, MaxScan = 5 });
        await _h.PublishAsync("acme", "waybill", MessageHarness.WaybillMapping);
        for (var i = 0; i < 23; i++)
        {
            await _h.SendAsync("acme", "waybill", MessageHarness.Waybill($"m-{i}", $"WB{i:D3}", weight: $"{i}.5"));
            _clock.Advance(TimeSpan.FromMinutes(1));
        }
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Query_OnlyTheOldestMatches_ShortPagesWithACursorUntilFound()
    {
        var query = new MessageQuery { Partner = "acme", Type = "waybill", Where = """{"weight": "[0,1)"}""", Limit = 10 };
        var first = await _h.Messages.QueryAsync(query);
        first.Items.ShouldBeEmpty("five documents tested, none matched");
        first.Next.ShouldNotBeNull("older messages remain to be tested");

        var found = new List<string?>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = await _h.Messages.QueryAsync(query with { After = after });
            found.AddRange(page.Items.Select(m => m.SourceId));
            after = page.Next;
            pages++;
        }
        while (after is not null);

        found.ShouldBe(["m-0"]);
        pages.ShouldBe(5, "23 documents at five a page");
        (await _h.Messages.StreamAsync(query).Select(m => m.SourceId).ToListAsync()).ShouldBe(["m-0"]);
    }

    [Fact]
    public async Task Query_MatchesWithinTheBudget_FullPageAndTheUsualCursor()
    {
        var page = await _h.Messages.QueryAsync(new MessageQuery { Partner = "acme", Where = """{"weight": "[18,)"}""", Limit = 3 });
        page.Items.Select(m => m.SourceId).ShouldBe(["m-22", "m-21", "m-20"]);
        var rest = await _h.Messages.QueryAsync(new MessageQuery { Partner = "acme", Where = """{"weight": "[18,)"}""", Limit = 3, After = page.Next });
        rest.Items.Select(m => m.SourceId).ShouldBe(["m-19", "m-18"]);
    }
}
