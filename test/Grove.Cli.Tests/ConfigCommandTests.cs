using Grove.Cli.Tests.Infrastructure;

namespace Grove.Cli.Tests;

/// <summary><c>grove config</c> on a data folder and on a server: the same verbs, the same output.</summary>
public sealed class ConfigCommandTests : IAsyncLifetime, IDisposable
{
    private readonly GroveRunner _local = new();
    private readonly GroveRunner _remote = new();
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _remote.SetEnvironment("GROVE_SERVER", _server.Address.ToString());
        _remote.SetEnvironment("GROVE_PASSWORD", RunningServer.AdminPassword);
        (await _local.RunAsync("init")).ShouldSucceed();
        (await _remote.RunAsync("login", "--user", "admin")).ShouldSucceed();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _local.Dispose();
        _remote.Dispose();
    }

    [Fact]
    public async Task PublishGetHistoryRollbackRemove_LocalAndRemoteAlike()
    {
        foreach (var g in new[] { _local, _remote })
        {
            g.TextFile("app.yaml", "name: one\n");
            (await g.RunAsync("config", "publish", "SHOP/app.yaml", "app.yaml")).ShouldSucceed().Out.ShouldStartWith("published SHOP/app.yaml (yaml, revision ");
            (await g.RunWithInputAsync("name: two\n"u8.ToArray(), "config", "publish", "SHOP/app.yaml", "-")).ShouldSucceed();
            (await g.RunAsync("config", "get", "SHOP/app.yaml")).ShouldSucceed().Out.ShouldBe("name: two\n");

            var history = (await g.RunAsync("config", "history", "SHOP/app.yaml")).ShouldSucceed().Lines;
            history.Count.ShouldBe(3, "a header and two versions");
            var oldest = history[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            (await g.RunAsync("config", "rollback", "SHOP/app.yaml", oldest)).ShouldSucceed();
            (await g.RunAsync("config", "get", "SHOP/app.yaml")).ShouldSucceed().Out.ShouldBe("name: one\n");
            (await g.RunAsync("config", "ls", "--group", "SHOP")).ShouldSucceed().Lines.Count.ShouldBe(2);

            (await g.RunAsync("config", "rm", "SHOP/app.yaml")).ShouldSucceed();
            (await g.RunAsync("config", "get", "SHOP/app.yaml")).ShouldFail(2, "not_found");
        }
    }

    [Fact]
    public async Task BadContent_FailsWithTheEnginesCode_LocalAndRemote()
    {
        foreach (var g in new[] { _local, _remote })
        {
            (await g.RunAsync("config", "publish", "G/bad.json", "--content", "{ nope")).ShouldFail(2, "invalid_format");
            (await g.RunAsync("config", "publish", "G/bad id", "--content", "x")).ShouldFail(2, "invalid_argument");
            (await g.RunAsync("config", "publish", "G/x")).ExitCode.ShouldBe(64);
        }
    }

    [Fact]
    public async Task ExportThenImport_MovesConfigsBetweenNamespaces()
    {
        foreach (var g in new[] { _local, _remote })
        {
            (await g.RunAsync("config", "publish", "G/a.properties", "--content", "a=1\n")).ShouldSucceed();
            (await g.RunAsync("config", "export", "configs.zip")).ShouldSucceed();
            (await g.RunAsync("config", "import", "configs.zip")).ShouldFail(2, "conflict");
            (await g.RunAsync("config", "import", "configs.zip", "--tenant", "staging")).ShouldSucceed().Out.ShouldContain("1 created");
            (await g.RunAsync("config", "get", "G/a.properties", "--tenant", "staging")).ShouldSucceed().Out.ShouldBe("a=1\n");
        }
    }

    [Fact]
    public async Task Listen_PrintsTheChange_AndNeedsAServer()
    {
        (await _local.RunAsync("config", "listen", "G/x")).ExitCode.ShouldBe(64);
        (await _remote.RunAsync("config", "publish", "G/live.txt", "--content", "v1")).ShouldSucceed();
        var listening = _remote.RunAsync("config", "listen", "G/live.txt", "--once");

        // Publish new versions until the listener reports one: it may connect after the first.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var v = 2; !listening.IsCompleted; v++)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the listener reported no change");
            await _server.Server.ConfigCenter.PublishAsync(new Grove.Config.PublishRequest { Key = Grove.Config.ConfigKey.Create("live.txt", "G"), Content = $"v{v}" });
            await Task.WhenAny(listening, Task.Delay(200));
        }

        var result = (await listening).ShouldSucceed();
        result.Out.ShouldStartWith("changed G/live.txt md5 ");
    }
}
