using Grove.Cli.Tests.Infrastructure;
using Grove.Logs;

namespace Grove.Cli.Tests;

/// <summary>
/// <c>grove logs</c>: run a command into a task log on a server (exit code propagated, output stored), then read,
/// search, download, list and delete it; the same verbs work on a local data folder through the engine.
/// </summary>
public sealed class LogsCommandTests : IAsyncLifetime, IDisposable
{
    private readonly GroveRunner _remote = new();
    private readonly GroveRunner _local = new();
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
        _remote.Dispose();
        _local.Dispose();
    }

    private static string TaskIdOf(CliResult run)
    {
        var first = run.ErrorLines[0];
        first.ShouldStartWith("task ");
        return first["task ".Length..];
    }

    [Fact]
    public async Task Run_FailingCommand_StoresItsOutputAndExitsWithItsCode()
    {
        var run = await _remote.RunAsync("logs", "run", "--name", "build 7", "--label", "ci", "--",
            "sh", "-c", "echo compiling; echo 'warning: x' >&2; printf 'no newline'; exit 3");

        run.ExitCode.ShouldBe(3, run.ToString());
        run.Out.ShouldContain("compiling");
        var id = TaskIdOf(run);
        var task = await _server.Server.Logs.GetAsync(id);
        task.Status.ShouldBe(LogTaskStatus.Failed);
        task.ExitCode.ShouldBe(3);
        task.Name.ShouldBe("build 7");
        task.Labels.ShouldBe(["ci"]);
        var lines = (await _server.Server.Logs.ReadAsync(id)).Lines.Select(l => l.Text).ToList();
        lines.ShouldContain("compiling");
        lines.ShouldContain("warning: x");
        lines.ShouldContain("no newline");
        lines.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Run_SucceedingCommand_ManyLinesInOrderAndSucceeded()
    {
        var run = await _remote.RunAsync("logs", "run", "--quiet", "--name", "count", "--", "sh", "-c", "seq 1 20000; echo task=$GROVE_LOG_TASK");
        run.ShouldSucceed();
        run.Out.ShouldBeEmpty("--quiet echoes nothing");
        var id = TaskIdOf(run);
        var task = await _server.Server.Logs.GetAsync(id);
        task.Status.ShouldBe(LogTaskStatus.Succeeded);
        task.ExitCode.ShouldBe(0);
        task.Lines.ShouldBe(20_001);
        (await _server.Server.Logs.ReadAsync(id, 19_999, 10)).Lines.Select(l => l.Text).ShouldBe(["20000", "task=" + id]);
    }

    [Fact]
    public async Task Run_MissingCommand_Exits127AndTheTaskFailed()
    {
        var run = await _remote.RunAsync("logs", "run", "--name", "oops", "--", "/no/such/program");
        run.ExitCode.ShouldBe(127);
        var task = await _server.Server.Logs.GetAsync(TaskIdOf(run));
        task.Status.ShouldBe(LogTaskStatus.Failed);
        task.ExitCode.ShouldBe(127);
    }

    [Fact]
    public async Task ReadingVerbs_OnAServer_PrintTheLog()
    {
        // Line n says "line n": what a person reads and types counts lines from 1, as the viewer and grep -n do.
        var id = TaskIdOf(await _remote.RunAsync("logs", "run", "--quiet", "--name", "reads", "--", "sh", "-c", "for i in $(seq 1 100); do echo \"line $i\"; done"));

        (await _remote.RunAsync("logs", "tail", id, "-n", "2", "--numbers")).ShouldSucceed().Lines.ShouldBe(["99:line 99", "100:line 100"]);
        var get = (await _remote.RunAsync("logs", "get", id, "--from", "10", "--limit", "3", "--numbers")).ShouldSucceed();
        get.Lines.ShouldBe(["10:line 10", "11:line 11", "12:line 12"]);
        get.Error.ShouldContain("lines 10-12 of 100; next: --from 13");
        (await _remote.RunAsync("logs", "get", id, "--from", "13", "--limit", "1")).ShouldSucceed().Lines.ShouldBe(["line 13"], "next: --from continues where the page ended");
        var past = (await _remote.RunAsync("logs", "get", id, "--from", "200")).ShouldSucceed();
        past.Lines.ShouldBeEmpty();
        past.Error.ShouldContain("no lines from line 200; the log has 100");
        (await _remote.RunAsync("logs", "get", id, "--from", "0")).ShouldFail(2, "invalid_argument");
        (await _remote.RunAsync("logs", "grep", id, "line 4.$", "-E")).ShouldSucceed().Lines.ShouldBe(
            [.. Enumerable.Range(40, 10).Select(i => $"{i}:line {i}")]);
        (await _remote.RunAsync("logs", "grep", id, "line", "--from", "99")).ShouldSucceed().Lines.ShouldBe(["99:line 99", "100:line 100"]);
        (await _remote.RunAsync("logs", "grep", id, "nothing like this")).ExitCode.ShouldBe(1);
        (await _remote.RunAsync("logs", "grep", id, "(", "-E")).ShouldFail(2, "invalid_pattern");
        (await _remote.RunAsync("logs", "follow", id, "-n", "1")).ShouldSucceed().Lines.ShouldBe(["line 100"], "a finished task's follow ends");
        (await _remote.RunAsync("logs", "follow", id, "--from", "98", "--numbers")).ShouldSucceed().Lines.ShouldBe(["98:line 98", "99:line 99", "100:line 100"]);
        (await _remote.RunAsync("--json", "logs", "get", id, "--from", "1", "--limit", "1")).ShouldSucceed().Out.ShouldContain("\"n\":0", Case.Sensitive, "--json keeps the API's numbers");
        (await _remote.RunAsync("logs", "download", id)).ShouldSucceed().Lines.Count.ShouldBe(100);
        (await _remote.RunAsync("logs", "download", id, "copy.log")).ShouldSucceed();
        File.ReadAllText(_remote.Temp.Combine("copy.log")).ShouldBe(string.Concat(Enumerable.Range(1, 100).Select(i => $"line {i}\n")));

        var ls = (await _remote.RunAsync("logs", "ls", "--status", "succeeded")).ShouldSucceed();
        ls.Lines[1].ShouldStartWith(id);
        ls.Lines[1].ShouldContain("reads");
        (await _remote.RunAsync("logs", "rm", id)).ShouldSucceed();
        (await _remote.RunAsync("logs", "tail", id)).ShouldFail(2, "not_found");
    }

    [Fact]
    public async Task LocalMode_RunAndReadThroughTheEngine()
    {
        (await _local.RunAsync("init")).ShouldSucceed();
        var run = await _local.RunAsync("logs", "run", "--quiet", "--name", "local", "--", "sh", "-c", "echo one; echo two; exit 4");
        run.ExitCode.ShouldBe(4, run.ToString());
        var id = TaskIdOf(run);

        (await _local.RunAsync("logs", "get", id)).ShouldSucceed().Lines.ShouldBe(["one", "two"]);
        (await _local.RunAsync("logs", "grep", id, "tw")).ShouldSucceed().Lines.ShouldBe(["2:two"]);
        var ls = (await _local.RunAsync("--json", "logs", "ls")).ShouldSucceed();
        ls.Out.ShouldContain("\"status\":\"failed\"");
        ls.Out.ShouldContain("\"exitCode\":4");
        ls.Out.ShouldContain("\"archived\":true", Case.Sensitive, "a local run archives its task before returning");
        (await _local.RunAsync("logs", "rm", id)).ShouldSucceed();
        (await _local.RunAsync("logs", "get", id)).ShouldFail(2, "not_found");
    }

    [Fact]
    public async Task Grep_StopsAtTheMatchLimit_SaysSoAndHowToGoOn()
    {
        // Regression: grep stopped at 1,000 matches without a word.
        (await _local.RunAsync("init")).ShouldSucceed();
        var id = TaskIdOf(await _local.RunAsync("logs", "run", "--quiet", "--name", "many", "--", "seq", "1", "1500"));

        var all = (await _local.RunAsync("logs", "grep", id, "[0-9]", "-E")).ShouldSucceed();
        all.Lines.Count.ShouldBe(1000);
        all.ErrorLines.ShouldBe(["stopped at 1,000 matches: --max N shows more, --from 1001 continues after the last one"]);

        var few = (await _local.RunAsync("logs", "grep", id, "^14", "-E", "--max", "5")).ShouldSucceed();
        few.Lines.ShouldBe(["14:14", "140:140", "141:141", "142:142", "143:143"]);
        few.ErrorLines.ShouldBe(["stopped at 5 matches: --max N shows more, --from 144 continues after the last one"]);
        (await _local.RunAsync("logs", "grep", id, "^14", "-E", "--from", "144", "--max", "2")).ShouldSucceed().Lines.ShouldBe(["144:144", "145:145"]);

        var under = (await _local.RunAsync("logs", "grep", id, "^150", "-E")).ShouldSucceed();
        under.Lines.ShouldBe(["150:150", "1500:1500"]);
        under.Error.ShouldBeEmpty("a search that did not reach the limit says nothing more");
    }

    [Fact]
    public async Task List_TheWordTheHelpUses_ListsLikeLs()
    {
        // Regression: the help said "list" while only "ls" worked.
        (await _local.RunAsync("init")).ShouldSucceed();
        var id = TaskIdOf(await _local.RunAsync("logs", "run", "--quiet", "--name", "listed", "--", "true"));
        (await _local.RunAsync("logs", "--help")).ShouldSucceed().Out.ShouldContain("list (ls)");
        var list = (await _local.RunAsync("logs", "list")).ShouldSucceed();
        list.Lines[1].ShouldStartWith(id);
        list.Out.ShouldBe((await _local.RunAsync("logs", "ls")).ShouldSucceed().Out);
    }
}
