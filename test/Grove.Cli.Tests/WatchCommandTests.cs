using Grove.Cli.Tests.Infrastructure;

namespace Grove.Cli.Tests;

/// <summary><c>grove watch</c> against a data folder and against a server.</summary>
public sealed class WatchCommandTests : IAsyncLifetime, IDisposable
{
    private readonly GroveRunner _local = new();
    private readonly GroveRunner _remote = new();
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _remote.SetEnvironment("GROVE_SERVER", _server.Address.ToString());
        _remote.SetEnvironment("GROVE_PASSWORD", RunningServer.AdminPassword);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _local.Dispose();
        _remote.Dispose();
    }

    [Fact]
    public async Task Watch_FromZeroWithCount_PrintsChangesInOrderOnBothBackends()
    {
        (await _local.RunAsync("init")).ShouldSucceed();
        (await _remote.RunAsync("login", "--user", "admin")).ShouldSucceed();
        foreach (var g in new[] { _local, _remote })
        {
            g.TextFile("n.txt", "hello\n");
            (await g.RunAsync("put", "n.txt", "/w/n.txt")).ShouldSucceed();
            (await g.RunAsync("mv", "/w/n.txt", "/w/m.txt")).ShouldSucceed();

            var result = (await g.RunAsync("watch", "/w", "--from", "0", "--count", "3")).ShouldSucceed();

            result.Lines.Select(l => string.Join(' ', l.Split(' ').Skip(1))).ShouldBe(["create /w", "create /w/n.txt", "move /w/m.txt <- /w/n.txt"]);
        }
    }
}
