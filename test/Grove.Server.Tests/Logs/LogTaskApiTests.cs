using System.Net;
using static Grove.Server.Tests.ApiAssertions;

namespace Grove.Server.Tests.Logs;

/// <summary>Tasks over HTTP: create, get, list with filters and pages, heartbeat, finish, delete.</summary>
public sealed class LogTaskApiTests : IAsyncLifetime
{
    private readonly LogCapture _log = new();
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(o => o with { LoggerProvider = _log });
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Create_NameAndLabels_IsRunningTaskOwnedByTheCaller()
    {
        var response = await _admin.PostAsync("/api/v1/logs", Json("""{"name":"build 42","labels":["ci","main"]}"""));
        var task = await response.JsonAsync(HttpStatusCode.Created);

        task.Str("status").ShouldBe("running");
        task.Str("name").ShouldBe("build 42");
        task.Str("owner").ShouldBe("admin");
        task.GetProperty("lines").GetInt64().ShouldBe(0);
        task.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ShouldBe(["ci", "main"]);
        task.Str("path").ShouldStartWith("/logs/");
        response.Headers.Location!.ToString().ShouldBe("/api/v1/logs/" + task.Str("id"));
        (await (await _admin.GetAsync("/api/v1/logs/" + task.Str("id"))).JsonAsync()).Str("name").ShouldBe("build 42");
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"name":""}""")]
    [InlineData("""{"name":"a\u0001b"}""")]
    public async Task Create_BadName_Is400InvalidArgument(string body)
    {
        await (await _admin.PostAsync("/api/v1/logs", Json(body))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_argument");
        (await (await _admin.GetAsync("/api/v1/logs")).JsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(0, "nothing was created");
    }

    [Theory]
    [InlineData("01jzzzzzzzzzzzzzzzzzzzzzzz")]
    [InlineData("not-a-task")]
    public async Task UnknownTask_EveryRoute_Is404NotFound(string id)
    {
        await (await _admin.GetAsync($"/api/v1/logs/{id}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await _admin.GetAsync($"/api/v1/logs/{id}/lines")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await _admin.GetAsync($"/api/v1/logs/{id}/tail")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await _admin.GetAsync($"/api/v1/logs/{id}/follow")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await _admin.GetAsync($"/api/v1/logs/{id}/search?q=x")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await _admin.GetAsync($"/api/v1/logs/{id}/download")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await _admin.AppendAsync(id, LogApi.Lines(0, 1))).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await _admin.PostAsync($"/api/v1/logs/{id}/heartbeat", null)).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await _admin.PostAsync($"/api/v1/logs/{id}/finish", Json("""{"status":"failed"}"""))).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await _admin.DeleteAsync($"/api/v1/logs/{id}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task List_FilterByStatusAndName_PagesNewestFirst()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await _admin.CreateTaskAsync($"deploy {i}"));
        }

        var build = await _admin.CreateTaskAsync("build main");
        await _admin.FinishAsync(ids[1], "failed", 3);

        var first = await (await _admin.GetAsync("/api/v1/logs?name=deploy&limit=2")).JsonAsync();
        first.GetProperty("items").EnumerateArray().Select(t => t.Str("name")).ShouldBe(["deploy 4", "deploy 3"]);
        var next = first.Str("next");
        var second = await (await _admin.GetAsync($"/api/v1/logs?name=deploy&limit=2&after={Uri.EscapeDataString(next)}")).JsonAsync();
        second.GetProperty("items").EnumerateArray().Select(t => t.Str("name")).ShouldBe(["deploy 2", "deploy 1"]);

        var failed = await (await _admin.GetAsync("/api/v1/logs?status=failed")).JsonAsync();
        var only = failed.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        only.Str("id").ShouldBe(ids[1]);
        only.GetProperty("exitCode").GetInt32().ShouldBe(3);

        var running = await (await _admin.GetAsync("/api/v1/logs?status=running&name=build")).JsonAsync();
        running.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().Str("id").ShouldBe(build);
        await (await _admin.GetAsync("/api/v1/logs?status=sleeping")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_argument");
        await (await _admin.GetAsync("/api/v1/logs?limit=0")).ProblemAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task Finish_StatusAndExitCode_AreKeptAndOnlyTheSameFinishRepeats()
    {
        var id = await _admin.CreateTaskAsync();
        await _admin.AppendOkAsync(id, LogApi.Lines(0, 3));

        var done = await _admin.FinishAsync(id, "failed", 2);
        done.Str("status").ShouldBe("failed");
        done.GetProperty("exitCode").GetInt32().ShouldBe(2);
        done.GetProperty("lines").GetInt64().ShouldBe(3);
        done.GetProperty("finished").GetInt64().ShouldBeGreaterThan(0);

        (await _admin.FinishAsync(id, "failed", 2)).Str("status").ShouldBe("failed", "repeating the same finish is fine (a retried request)");
        // Note that CI once answered 500 here (not reproduced since): the server's errors go with a failure.
        var other = await _admin.PostAsync($"/api/v1/logs/{id}/finish", Json("""{"status":"succeeded","exitCode":0}"""));
        other.StatusCode.ShouldBe(HttpStatusCode.Conflict, string.Join("\n", _log.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Select(e => $"{e.Message} {e.Exception}")));
        await other.ProblemAsync(HttpStatusCode.Conflict, "finished");
        await (await _admin.PostAsync($"/api/v1/logs/{id}/heartbeat", null)).ProblemAsync(HttpStatusCode.Conflict, "finished");
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"status":"running"}""")]
    [InlineData("""{"status":"done"}""")]
    [InlineData("""{"status":"failed","exitCode":99999999999}""")]
    public async Task Finish_BadStatus_Is400AndTheTaskKeepsRunning(string body)
    {
        var id = await _admin.CreateTaskAsync();
        await (await _admin.PostAsync($"/api/v1/logs/{id}/finish", Json(body))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_argument");
        (await (await _admin.GetAsync($"/api/v1/logs/{id}")).JsonAsync()).Str("status").ShouldBe("running");
    }

    [Fact]
    public async Task Heartbeat_RunningTask_Is204AndMovesItsActivity()
    {
        var id = await _admin.CreateTaskAsync();
        (await _admin.PostAsync($"/api/v1/logs/{id}/heartbeat", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await (await _admin.GetAsync($"/api/v1/logs/{id}")).JsonAsync()).GetProperty("lastActivity").GetInt64().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Delete_Task_IsGoneWithItsLines()
    {
        var id = await _admin.CreateTaskAsync();
        await _admin.AppendOkAsync(id, LogApi.Lines(0, 10));
        (await _admin.DeleteAsync($"/api/v1/logs/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await _admin.GetAsync($"/api/v1/logs/{id}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await _admin.GetAsync($"/api/v1/logs/{id}/lines")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
