using Grove.Cli.Tests.Infrastructure;

namespace Grove.Cli.Tests;

/// <summary><c>grove mq</c> against a data folder and against a server.</summary>
public sealed class MqCommandTests : IAsyncLifetime, IDisposable
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
    public async Task Mq_PushLsPopAck_OnBothBackends()
    {
        (await _local.RunAsync("init")).ShouldSucceed();
        (await _remote.RunAsync("login", "--user", "admin")).ShouldSucceed();
        foreach (var g in new[] { _local, _remote })
        {
            g.TextFile("job.txt", "do it\n");
            (await g.RunAsync("mount", "/jobs", "mq(jobs)")).ShouldSucceed();
            (await g.RunAsync("mq", "push", "/jobs", "job.txt", "--name", "j1")).ShouldSucceed().Out.ShouldContain("/jobs/j1");
            (await g.RunAsync("put", "job.txt", "/jobs/j2")).ShouldSucceed();
            (await g.RunAsync("mq", "ls", "/jobs")).ShouldSucceed().Lines.Select(l => l.Split('\t')[^1]).ShouldBe(["/jobs/j1", "/jobs/j2"]);

            var popped = (await g.RunAsync("mq", "pop", "/jobs")).ShouldSucceed();
            popped.Lines[1].ShouldStartWith("message: /jobs/j1");
            popped.Lines[2].ShouldBe("do it");
            var receipt = popped.Lines[0]["receipt: ".Length..];

            (await g.RunAsync("mq", "ack", "/jobs", receipt)).ShouldSucceed();
            var again = await g.RunAsync("mq", "ack", "/jobs", receipt);
            again.ExitCode.ShouldNotBe(0);
            again.Error.ShouldContain("receipt_stale");
            (await g.RunAsync("mq", "ls", "/jobs")).ShouldSucceed().Lines.Select(l => l.Split('\t')[^1]).ShouldBe(["/jobs/j2"]);
        }
    }

    [Fact]
    public async Task Mq_PopMaxThenAckSeveral_OnBothBackends()
    {
        (await _local.RunAsync("init")).ShouldSucceed();
        (await _remote.RunAsync("login", "--user", "admin")).ShouldSucceed();
        foreach (var g in new[] { _local, _remote })
        {
            g.TextFile("job.txt", "x\n");
            (await g.RunAsync("mount", "/many", "mq")).ShouldSucceed();
            foreach (var n in new[] { "a", "b", "c" })
            {
                (await g.RunAsync("mq", "push", "/many", "job.txt", "--name", n)).ShouldSucceed();
            }

            var popped = (await g.RunAsync("mq", "pop", "/many", "--max", "2")).ShouldSucceed();
            popped.Lines.Where(l => l.StartsWith("message: ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ShouldBe(["/many/a", "/many/b"]);
            var receipts = popped.Lines.Where(l => l.StartsWith("receipt: ", StringComparison.Ordinal)).Select(l => l["receipt: ".Length..]).ToArray();

            (await g.RunAsync(["mq", "ack", "/many", .. receipts])).ShouldSucceed().Out.ShouldContain("acked 2");
            (await g.RunAsync("mq", "ls", "/many")).ShouldSucceed().Lines.Select(l => l.Split('\t')[^1]).ShouldBe(["/many/c"]);
        }
    }

    [Fact]
    public async Task Hook_AddLsTestRm_OnAServer()
    {
        (await _remote.RunAsync("login", "--user", "admin")).ShouldSucceed();

        var added = (await _remote.RunAsync("hook", "add", "/x", "--on", "create,write", "--url", "http://127.0.0.1:1/none")).ShouldSucceed();
        var id = added.Lines[0].Split('\t')[0];
        added.Lines[1].ShouldStartWith("secret: ");
        (await _remote.RunAsync("hook", "ls")).ShouldSucceed().Out.ShouldContain(id);
        var test = await _remote.RunAsync("hook", "test", id);
        test.ExitCode.ShouldBe(2);
        test.Out.ShouldStartWith("failed: ");
        (await _remote.RunAsync("hook", "ls")).ShouldSucceed().Out.ShouldContain("failing");
        (await _remote.RunAsync("hook", "rm", id)).ShouldSucceed();
        (await _remote.RunAsync("hook", "ls")).ShouldSucceed().Out.ShouldBeEmpty();
    }
}
