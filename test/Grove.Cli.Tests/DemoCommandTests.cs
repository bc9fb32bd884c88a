using System.Text.Json;
using Grove.Cli.Tests.Infrastructure;
using Grove.Config;
using Grove.Logs;

namespace Grove.Cli.Tests;

/// <summary>
/// <c>grove demo</c> fills what every console page shows: a tree with metadata, configs with history, a finished, a
/// failed and a running task log; on a data folder (created if missing) and on a server; a second run changes nothing.
/// </summary>
public sealed class DemoCommandTests : IAsyncLifetime, IDisposable
{
    private readonly GroveRunner _local = new();
    private readonly GroveRunner _remote = new();
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        var login = await _server.Server.Identity.LoginAsync("admin", RunningServer.AdminPassword, "cli-test");
        _remote.SetEnvironment("GROVE_SERVER", _server.Address.ToString());
        _remote.SetEnvironment("GROVE_TOKEN", login.Token);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _local.Dispose();
        _remote.Dispose();
    }

    [Fact]
    public async Task Demo_FreshDataFolder_FillsTreeConfigsAndLogsThroughTheVerbs()
    {
        var demo = (await _local.RunAsync("demo")).ShouldSucceed();
        demo.Lines.Count(l => l.StartsWith("task ", StringComparison.Ordinal)).ShouldBe(3);

        (await _local.RunAsync("cat", "/demo/projects/alpha/budget.csv")).ShouldSucceed().Out.ShouldStartWith("month,item,amount\n");
        var final = Json((await _local.RunAsync("--json", "find", "--where", "{\"lbls\":\"final\"}")).ShouldSucceed().Out);
        final.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("ph").GetString()).Order()
            .ShouldBe(["/demo/archive/2025/summary.txt", "/demo/projects/alpha/report.md"]);
        (await _local.RunAsync("stat", "/demo/inbox")).ShouldSucceed();
        (await _local.RunAsync("config", "history", "DEMO/shop.yaml")).ShouldSucceed().Lines.Count.ShouldBe(4, "a header and three versions");
        (await _local.RunAsync("config", "get", "DEMO/features.json")).ShouldSucceed().Out.ShouldContain("newCheckout");

        var tasks = Json((await _local.RunAsync("--json", "logs", "ls")).ShouldSucceed().Out).GetProperty("items").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("status").GetString());
        tasks.ShouldBe(new Dictionary<string, string?>
        {
            ["demo: build #41"] = "succeeded",
            ["demo: tests #41"] = "failed",
            ["demo: deploy #42"] = "running",
        }, ignoreOrder: true);

        var again = (await _local.RunAsync("demo")).ShouldSucceed();
        again.Out.ShouldContain("already");
        (await _local.RunAsync("config", "history", "DEMO/shop.yaml")).ShouldSucceed().Lines.Count.ShouldBe(4, "a second run publishes nothing");
        Json((await _local.RunAsync("--json", "logs", "ls")).ShouldSucceed().Out).GetProperty("items").GetArrayLength().ShouldBe(3);
    }

    [Fact]
    public async Task Demo_AgainstAServer_EveryServiceHasData()
    {
        var demo = (await _remote.RunRawAsync(["demo"])).ShouldSucceed();
        demo.Out.ShouldContain($"open {_server.Address}");

        var server = _server.Server;
        (await server.Tree.GetAsync("/demo/projects/alpha/report.md")).Meta.Keys.ShouldContain("owner");
        (await server.Tree.ListAsync("/demo/projects/alpha", null, 100)).Items.Count.ShouldBe(3);
        server.ConfigCenter.Get(ConfigKey.Create("shop.yaml", "DEMO", "")).ShouldNotBeNull().Content.ShouldContain("wallet");
        var tasks = (await server.Logs.ListAsync(new LogTaskQuery())).Items;
        tasks.Select(t => t.Status).Order().ShouldBe([LogTaskStatus.Running, LogTaskStatus.Succeeded, LogTaskStatus.Failed], ignoreOrder: true);
        var running = tasks.Single(t => t.Status == LogTaskStatus.Running);
        (await server.Logs.ReadAsync(running.Id)).Lines.Count.ShouldBe(14, "a running task's lines are delivered before the command ends");
    }

    private static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}
