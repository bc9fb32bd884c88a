using System.Net;
using System.Text.Json;

namespace Grove.Server.Tests.Logs;

/// <summary>Follow (server-sent events across the archive handover) and search (NDJSON and SSE) over HTTP.</summary>
public sealed class LogStreamApiTests : IAsyncLifetime
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
    public async Task Follow_StoredThenNewLinesThenEndAcrossTheArchive()
    {
        var id = await _admin.CreateTaskAsync();
        await _admin.AppendOkAsync(id, LogApi.Lines(0, 3));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var events = await SseReader.OpenAsync(_admin, $"/api/v1/logs/{id}/follow?from=1", deadline.Token);

        (await events.NextAsync()).Data.ShouldContain("\"line 1\"");
        var second = await events.NextAsync();
        second.Id.ShouldBe("2");
        JsonDocument.Parse(second.Data).RootElement.GetProperty("n").GetInt64().ShouldBe(2);

        await _admin.AppendOkAsync(id, LogApi.Lines(3, 2));
        (await events.NextAsync()).Id.ShouldBe("3");
        (await events.NextAsync()).Id.ShouldBe("4");

        await _admin.FinishAsync(id, "succeeded", 0);
        var end = await events.NextAsync();
        end.Event.ShouldBe("end");
        var task = JsonDocument.Parse(end.Data).RootElement;
        task.GetProperty("status").GetString().ShouldBe("succeeded");
        task.GetProperty("lines").GetInt64().ShouldBe(5);
        (await events.NextOrEndAsync()).ShouldBeNull("the stream ends after the end event");

        await Eventually.HoldsAsync(async () => (await _server.Server.Logs.GetAsync(id)).Storage == Grove.Logs.LogStorage.Archived, "archived", 60);
        await using var again = await SseReader.OpenAsync(_admin, $"/api/v1/logs/{id}/follow", deadline.Token);
        var ids = new List<string?>();
        while (await again.NextOrEndAsync() is { } e && e.Event is null)
        {
            ids.Add(e.Id);
        }

        ids.ShouldBe(["0", "1", "2", "3", "4"], "following an archived log replays it and ends");
    }

    [Fact]
    public async Task Follow_LastEventId_ResumesAfterThatLine()
    {
        var id = await LogApi.SeedAsync(_server, 10);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/logs/{id}/follow");
        request.Headers.Add("Last-Event-ID", "7");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = await SseReader.OpenAsync(_admin, request, deadline.Token);
        (await events.NextAsync()).Id.ShouldBe("8");
        (await events.NextAsync()).Id.ShouldBe("9");
    }

    [Fact]
    public async Task Follow_NegativeFrom_Is400()
    {
        var id = await LogApi.SeedAsync(_server, 1);
        await (await _admin.GetAsync($"/api/v1/logs/{id}/follow?from=-3")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_range");
    }

    [Fact]
    public async Task Search_Substring_StreamsMatchesWithLineNumbersAsNdjson()
    {
        var id = await LogApi.SeedAsync(_server, 3000);
        using var response = await _admin.GetAsync($"/api/v1/logs/{id}/search?q=line%2012", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/x-ndjson");
        var numbers = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("n").GetInt64()).ToList();
        numbers.ShouldBe([12L, .. Enumerable.Range(120, 10).Select(i => (long)i), .. Enumerable.Range(1200, 100).Select(i => (long)i)]);
    }

    [Fact]
    public async Task Search_RegexFromAndMax_StepsThroughMatches()
    {
        var id = await LogApi.SeedAsync(_server, 3000);
        var first = await NumbersAsync($"/api/v1/logs/{id}/search?q=^line%20[0-9]*77$&regex=true&max=2");
        first.ShouldBe([77L, 177L]);
        var next = await NumbersAsync($"/api/v1/logs/{id}/search?q=^LINE%20[0-9]*77$&regex=true&ignoreCase=true&from=178&max=1");
        next.ShouldBe([277L]);
    }

    [Fact]
    public async Task Search_Sse_EndsWithTheCount()
    {
        var id = await LogApi.SeedAsync(_server, 100);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = await SseReader.OpenAsync(_admin, $"/api/v1/logs/{id}/search?q=line%209&format=sse", deadline.Token);
        var ids = new List<string?>();
        SseEvent? e;
        while ((e = await events.NextOrEndAsync()) is { Event: null })
        {
            ids.Add(e.Id);
        }

        ids.ShouldBe(["9", .. Enumerable.Range(90, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        e!.Event.ShouldBe("end");
        JsonDocument.Parse(e.Data).RootElement.GetProperty("matches").GetInt32().ShouldBe(11);
    }

    [Theory]
    [InlineData("(unclosed")]
    [InlineData("(a)\\1")]
    [InlineData("(?<=x)y")]
    public async Task Search_InvalidOrBacktrackingRegex_Is400WithTheReason(string pattern)
    {
        var id = await LogApi.SeedAsync(_server, 10);
        var detail = await (await _admin.GetAsync($"/api/v1/logs/{id}/search?regex=true&q={Uri.EscapeDataString(pattern)}"))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_pattern");
        detail.ShouldStartWith("invalid pattern:");
    }

    [Theory]
    [InlineData("")]
    [InlineData("&q=")]
    [InlineData("&q=x&max=0")]
    [InlineData("&q=x&from=-1")]
    public async Task Search_MissingPatternOrBadRange_Is400(string query)
    {
        var id = await LogApi.SeedAsync(_server, 10);
        var response = await _admin.GetAsync($"/api/v1/logs/{id}/search?regex=false{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Search_HostilePatternOnLongLines_FinishesInsteadOfStalling()
    {
        var logs = _server.Server.Logs;
        var task = await logs.CreateAsync("hostile", new Grove.Logs.LogCreateOptions { Owner = "admin" });
        await logs.AppendAsync(task.Id, [.. Enumerable.Range(0, 200).Select(i => new Grove.Logs.LogLine(i, LogApi.T0, new string('a', 20_000) + "!"))]);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var response = await _admin.GetAsync($"/api/v1/logs/{task.Id}/search?regex=true&q={Uri.EscapeDataString("^(a+)+$")}", deadline.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(deadline.Token)).ShouldBeEmpty("no line matches, and the scan ends");
    }

    private async Task<List<long>> NumbersAsync(string url)
    {
        var text = await (await _admin.GetAsync(url)).Content.ReadAsStringAsync();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("n").GetInt64())];
    }
}
