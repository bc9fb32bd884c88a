using System.Net;
using System.Net.Http.Headers;
using static Grove.Server.Tests.ApiAssertions;
using static Grove.Server.Tests.Config.ConfigKit;

namespace Grove.Server.Tests.Config;

/// <summary>The push channel (server-sent events) and the long-poll fallback of Grove's API.</summary>
public sealed class ConfigPushTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await StartAsync();
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpResponseMessage Response, SseReader Events)> WatchAsync(string query, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/config/watch?" + query);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await _admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        return (response, new SseReader(await response.Content.ReadAsStreamAsync()));
    }

    [Fact]
    public async Task Watch_SendsAChangeEventAfterAPublish()
    {
        await _server.PutAsync("app", "v1", "G");
        var (response, events) = await WatchAsync("keys=G/app,G/other");
        using (response)
        using (events)
        {
            (await events.NextAsync()).Name.ShouldBe("hello");
            await _server.PutAsync("app", "v2", "G");
            var change = await events.NextExceptAsync("hello");
            change.Name.ShouldBe("change");
            change.Json.GetProperty("dataId").GetString().ShouldBe("app");
            change.Json.GetProperty("md5").GetString().ShouldBe(Md5("v2"));
            long.Parse(change.Id!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(_server.Held("app", "G")!.Revision);

            await _server.Server.ConfigCenter.RemoveAsync(Grove.Config.ConfigKey.Create("app", "G"));
            var removed = await events.NextAsync();
            removed.Json.GetProperty("md5").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        }
    }

    [Fact]
    public async Task Watch_WithStaleMd5s_TellsAtOnce()
    {
        await _server.PutAsync("a", "new", "G");
        await _server.PutAsync("b", "same", "G");
        var (response, events) = await WatchAsync($"keys=G/a,G/b&md5s={Md5("old")},{Md5("same")}");
        using (response)
        using (events)
        {
            var change = await events.NextExceptAsync("hello");
            change.Json.GetProperty("dataId").GetString().ShouldBe("a");
            await _server.PutAsync("b", "changed", "G");
            (await events.NextAsync()).Json.GetProperty("dataId").GetString().ShouldBe("b", "b was not reported before it changed");
        }
    }

    [Fact]
    public async Task Watch_ReconnectWithLastEventId_CatchesUpWhatWasMissed()
    {
        await _server.PutAsync("r", "v1", "G");
        var seen = _server.Server.ConfigCenter.Revision;
        await _server.PutAsync("r", "v2", "G");
        var (response, events) = await WatchAsync("keys=G/r", seen.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using (response)
        using (events)
        {
            var change = await events.NextExceptAsync("hello");
            change.Json.GetProperty("md5").GetString().ShouldBe(Md5("v2"));
        }
    }

    [Fact]
    public async Task Watch_PostWithMd5s_AndBadInput()
    {
        await _server.PutAsync("p", "v", "G");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/config/watch") { Content = Json($$"""{"configs":[{"group":"G","dataId":"p","md5":""}]}""") };
        using var response = await _admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync());
        (await events.NextExceptAsync("hello")).Json.GetProperty("md5").GetString().ShouldBe(Md5("v"));

        await (await _admin.GetAsync("/api/v1/config/watch?keys=nogroup")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_argument");
        await (await _admin.GetAsync("/api/v1/config/watch?keys=G/a&md5s=x,y")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_argument");
        await (await _admin.GetAsync("/api/v1/config/watch?keys=G/a&md5s=nothex")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_argument");
    }

    [Fact]
    public async Task Listen_IsHeldUntilAPublish_AndTimeoutZeroReconciles()
    {
        await _server.PutAsync("l", "v1", "G");
        var body = Json($$"""{"configs":[{"group":"G","dataId":"l","md5":"{{Md5("v1")}}"}],"timeoutMs":30000}""");
        var poll = _admin.PostAsync("/api/v1/config/listen", body);
        await Eventually.HoldsAsync(() => Task.FromResult(_server.Server.ConfigCenter.WaiterCount == 1), "the poll is held");
        await _server.PutAsync("l", "v2", "G");
        var answer = await (await poll).JsonOkAsync();
        answer.GetProperty("changed")[0].GetProperty("md5").GetString().ShouldBe(Md5("v2"));

        var now = await (await _admin.PostAsync("/api/v1/config/listen", Json($$"""{"configs":[{"group":"G","dataId":"l","md5":"{{Md5("v1")}}"},{"group":"G","dataId":"zz","md5":""}],"timeoutMs":0}"""))).JsonOkAsync();
        now.GetProperty("changed").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Watch_StreamsPerClientAreCapped()
    {
        await using var server = await StartAsync(c => c with { MaxLongPollsPerIp = 1 });
        await server.PutAsync("c", "v", "G");
        var admin = await server.AdminAsync();
        using var first = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/config/watch?keys=G/c"), HttpCompletionOption.ResponseHeadersRead);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var second = await admin.GetAsync("/api/v1/config/watch?keys=G/c");
        await second.ProblemAsync(HttpStatusCode.ServiceUnavailable, "rate_limited");
        second.Headers.RetryAfter.ShouldNotBeNull();
    }
}
