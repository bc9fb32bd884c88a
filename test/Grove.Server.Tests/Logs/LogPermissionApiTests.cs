using System.Net;
using static Grove.Server.Tests.ApiAssertions;

namespace Grove.Server.Tests.Logs;

/// <summary>
/// Tasks live under /logs and follow the tree's permissions: creating needs write on /logs, the creator owns the task
/// (only they append, finish or delete it), and reading needs read on the task object.
/// </summary>
public sealed class LogPermissionApiTests : IAsyncLifetime
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
    public async Task NewServer_OnlyAdminsCreateTasks_UntilLogsIsOpenedToAGroup()
    {
        var ci = await _server.UserAsync("runner", "ci");
        await (await ci.PostAsync("/api/v1/logs", Json("""{"name":"x"}"""))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        await _admin.PatchAsync("/api/v1/meta/logs", Json("""{"set":{"g":"ci","md":509}}""")); // 0775, group ci
        var task = await (await ci.PostAsync("/api/v1/logs", Json("""{"name":"x"}"""))).JsonAsync(HttpStatusCode.Created);
        task.Str("owner").ShouldBe("runner");
        var stat = await (await _admin.GetAsync("/api/v1/stat" + task.Str("path"))).JsonAsync();
        stat.Str("c").ShouldBe("runner");
        stat.GetProperty("md").GetInt32().ShouldBe(0b110_100_100, "the owner writes; group and others read as /logs allows");
        var day = await (await _admin.GetAsync("/api/v1/stat" + task.Str("path")[..task.Str("path").LastIndexOf('/')])).JsonAsync();
        var dayOwner = day.TryGetProperty("c", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.String ? c.GetString() : null;
        dayOwner.ShouldNotBe("runner", "the day folders belong to the service, not to the first task's creator");
    }

    [Fact]
    public async Task OwnersTask_OtherUserReadsButCannotAppendFinishOrDelete()
    {
        await _admin.PatchAsync("/api/v1/meta/logs", Json("""{"set":{"g":"ci","md":509}}"""));
        var owner = await _server.UserAsync("owner", "ci");
        var other = await _server.UserAsync("other", "ci");
        var id = await owner.CreateTaskAsync("mine");
        await owner.AppendOkAsync(id, LogApi.Lines(0, 5));

        LogApi.LinesOf(await other.PageAsync(id)).Count.ShouldBe(5);
        await (await other.AppendAsync(id, LogApi.Lines(5, 1))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await other.PostAsync($"/api/v1/logs/{id}/heartbeat", null)).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await other.PostAsync($"/api/v1/logs/{id}/finish", Json("""{"status":"canceled"}"""))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await other.DeleteAsync($"/api/v1/logs/{id}")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        (await owner.FinishAsync(id, "succeeded", 0)).Str("status").ShouldBe("succeeded");
        (await owner.DeleteAsync($"/api/v1/logs/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task PrivateTask_OthersCannotReadOrSeeItInTheList()
    {
        await _admin.PatchAsync("/api/v1/meta/logs", Json("""{"set":{"g":"ci","md":504}}""")); // 0770: no access for others
        var owner = await _server.UserAsync("builder", "ci");
        var outsider = await _server.UserAsync("outsider");
        var id = await owner.CreateTaskAsync("secret build");

        await (await outsider.GetAsync($"/api/v1/logs/{id}/lines")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await outsider.GetAsync($"/api/v1/logs/{id}/download")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await outsider.GetAsync($"/api/v1/logs/{id}/follow")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        (await (await outsider.GetAsync("/api/v1/logs")).JsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await (await owner.GetAsync("/api/v1/logs")).JsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(1);
        (await (await _admin.GetAsync("/api/v1/logs")).JsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(1);
    }
}
