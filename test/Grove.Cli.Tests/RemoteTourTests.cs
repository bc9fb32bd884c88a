using Grove.Cli.Tests.Infrastructure;

namespace Grove.Cli.Tests;

/// <summary>
/// The same verbs against a data folder and against a server (<c>--server</c>): after <c>grove login</c>, every
/// command prints the same and exits the same, refusals included.
/// </summary>
public sealed class RemoteTourTests : IAsyncLifetime, IDisposable
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
    public async Task Tour_AfterLogin_EveryVerbPrintsAndExitsAsLocally()
    {
        (await _local.RunAsync("init")).ShouldSucceed();
        (await _remote.RunAsync("login", "--user", "admin")).ShouldSucceed().Out.ShouldStartWith("signed in to ");
        foreach (var g in new[] { _local, _remote })
        {
            g.TextFile("notes.txt", "hello grove\n");
            g.RandomFile("big.bin", (5 * 1024 * 1024) + 123);
            g.Temp.Dir("dl");
        }

        string[][] tour =
        [
            ["mkdir", "-p", "/docs/2025/q1"],
            ["mkdir", "/docs/2025"],
            ["mkdir", "/nope/deeper"],
            ["put", "notes.txt", "/docs/notes.txt"],
            ["put", "big.bin", "/docs/"],
            ["put", "missing.txt", "/docs/"],
            ["ls", "/docs"],
            ["--json", "ls", "/docs"],
            ["ls", "/docs", "--limit", "1"],
            ["ls", "/docs", "--limit", "0"],
            ["ls", "/docs/notes.txt"],
            ["stat", "/docs/big.bin"],
            ["--json", "stat", "/docs/notes.txt"],
            ["stat", "/docs/../etc"],
            ["meta", "set", "/docs/notes.txt", "n=42", "ok=true", "tags=[1,2]", "title=Hello"],
            ["meta", "set", "/docs/notes.txt", "id=x"],
            ["meta", "get", "/docs/notes.txt"],
            ["meta", "get", "/docs/notes.txt", "title"],
            ["meta", "get", "/docs/notes.txt", "absent"],
            ["meta", "unset", "/docs/notes.txt", "ok"],
            ["find", "--in", "/docs", "--where", "{\"n\":\"[40,50]\"}"],
            ["--json", "find", "--in", "/docs", "--sort", "-nm", "--limit", "2"],
            ["find", "--where", "{\"n\":{\"$bogus\":1}}"],
            ["find", "--sort", "-", "--in", "/docs"],
            ["cat", "/docs/notes.txt"],
            ["cat", "/docs"],
            ["get", "/docs/big.bin", "back.bin"],
            ["get", "/docs/notes.txt", "dl"],
            ["--json", "get", "/docs/notes.txt", "-"],
            ["mkdir", "/archive"],
            ["mv", "/docs/notes.txt", "/archive"],
            ["mv", "/docs/missing", "/archive"],
            ["stat", "/docs/notes.txt"],
            ["rm", "/docs"],
            ["rm", "-r", "/docs"],
            ["rm", "/docs"],
            ["mount", "/scratch", "mem"],
            ["mount", "/m2", "dao(x)"],
            ["--json", "ls", "/scratch"],
            ["unmount", "/scratch"],
            ["fsck"],
            ["sweep"],
        ];
        foreach (var args in tour)
        {
            var local = await _local.RunAsync(args);
            var remote = await _remote.RunRawAsync(args);
            var step = string.Join(' ', args);
            remote.ExitCode.ShouldBe(local.ExitCode, $"{step}\nlocal: {local}\nremote: {remote}");
            OutputNormalizer.Normalize(remote.Out, _remote).ShouldBe(OutputNormalizer.Normalize(local.Out, _local), step);
            OutputNormalizer.Normalize(remote.Error, _remote).ShouldBe(OutputNormalizer.Normalize(local.Error, _local), step);
        }

        File.ReadAllBytes(_remote.Temp.Combine("back.bin")).ShouldBe(File.ReadAllBytes(_remote.Temp.Combine("big.bin")));
        File.ReadAllText(_remote.Temp.Combine("dl/notes.txt")).ShouldBe("hello grove\n");
    }
}
