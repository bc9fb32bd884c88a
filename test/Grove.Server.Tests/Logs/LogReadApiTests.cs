using System.Net;

namespace Grove.Server.Tests.Logs;

/// <summary>Pages at any offset, bad ranges, the tail, the long poll, and the same answers once the log is archived.</summary>
public sealed class LogReadApiTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Lines_NoLimit_IsAPageOf1000WithNextAndTotal()
    {
        var id = await LogApi.SeedAsync(_server, 2500);
        var page = await _admin.PageAsync(id, "?from=1200");
        var lines = LogApi.LinesOf(page);
        lines.Count.ShouldBe(1000);
        lines[0].N.ShouldBe(1200);
        lines[^1].N.ShouldBe(2199);
        page.GetProperty("next").GetInt64().ShouldBe(2200);
        page.GetProperty("total").GetInt64().ShouldBe(2500);
        page.GetProperty("finished").GetBoolean().ShouldBeFalse();
        page.GetProperty("storage").GetString().ShouldBe("live");
    }

    [Fact]
    public async Task Lines_FromPastTheEnd_IsAnEmptyPageWithTheTotal()
    {
        var id = await LogApi.SeedAsync(_server, 30);
        var page = await _admin.PageAsync(id, "?from=1000000");
        LogApi.LinesOf(page).ShouldBeEmpty();
        page.GetProperty("total").GetInt64().ShouldBe(30);
    }

    [Theory]
    [InlineData("?from=-1")]
    [InlineData("?from=abc")]
    [InlineData("?limit=0")]
    [InlineData("?limit=10001")]
    [InlineData("?limit=ten")]
    public async Task Lines_BadRange_Is400InvalidRange(string query)
    {
        var id = await LogApi.SeedAsync(_server, 10);
        await (await _admin.GetAsync($"/api/v1/logs/{id}/lines{query}")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_range");
    }

    [Fact]
    public async Task Tail_N_IsTheLastLines()
    {
        var id = await LogApi.SeedAsync(_server, 500);
        var page = await (await _admin.GetAsync($"/api/v1/logs/{id}/tail?n=3")).JsonAsync();
        LogApi.LinesOf(page).Select(l => l.N).ShouldBe([497L, 498L, 499L]);
        await (await _admin.GetAsync($"/api/v1/logs/{id}/tail?n=0")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_range");
        await (await _admin.GetAsync($"/api/v1/logs/{id}/tail?n=-5")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_range");
    }

    [Fact]
    public async Task Lines_LongPoll_AnswersWhenTheNextLineArrives()
    {
        var id = await _admin.CreateTaskAsync();
        await _admin.AppendOkAsync(id, LogApi.Lines(0, 5));
        var poll = _admin.GetAsync($"/api/v1/logs/{id}/lines?from=5&wait=30");
        await Eventually.HoldsAsync(() => Task.FromResult(!poll.IsCompleted), "the poll is waiting");
        await _admin.AppendOkAsync(id, LogApi.Lines(5, 2));
        var page = await (await poll).JsonAsync();
        LogApi.LinesOf(page).Select(l => l.N).ShouldBe([5L, 6L]);
    }

    [Fact]
    public async Task Lines_LongPollOnAFinishedTask_AnswersAtOnce()
    {
        var id = await _admin.CreateTaskAsync();
        await _admin.AppendOkAsync(id, LogApi.Lines(0, 5));
        await _admin.FinishAsync(id);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var page = await (await _admin.GetAsync($"/api/v1/logs/{id}/lines?from=5&wait=60", deadline.Token)).JsonAsync();
        page.GetProperty("finished").GetBoolean().ShouldBeTrue();
        LogApi.LinesOf(page).ShouldBeEmpty();
    }

    [Fact]
    public async Task Lines_AfterArchiving_AreTheSameFromTheArchive()
    {
        var id = await LogApi.SeedAsync(_server, 5000);
        var live = await _admin.PageAsync(id, "?from=3999&limit=20");
        await _admin.FinishAsync(id);
        await Eventually.HoldsAsync(async () => (await _server.Server.Logs.GetAsync(id)).Storage == Grove.Logs.LogStorage.Archived, "the log is archived", 60);

        var archived = await _admin.PageAsync(id, "?from=3999&limit=20");
        archived.GetProperty("storage").GetString().ShouldBe("archived");
        LogApi.LinesOf(archived).ShouldBe(LogApi.LinesOf(live));
        archived.GetProperty("total").GetInt64().ShouldBe(5000);
        var tail = await (await _admin.GetAsync($"/api/v1/logs/{id}/tail?n=2")).JsonAsync();
        LogApi.LinesOf(tail).Select(l => l.Text).ShouldBe(["line 4998", "line 4999"]);
        (await (await _admin.GetAsync($"/api/v1/logs/{id}")).JsonAsync()).Str("storage").ShouldBe("archived");
    }
}
