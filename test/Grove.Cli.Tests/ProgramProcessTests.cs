using Grove.Cli.Tests.Infrastructure;
using Grove.Tree;

namespace Grove.Cli.Tests;

/// <summary>The real built <c>grove</c> as a child process: Program.cs wiring, stdout bytes and exit codes.</summary>
public sealed class ProgramProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempFolder _temp = new("grove-cli-proc-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ChildProcess_RealBinary_PrintsAndReturnsDocumentedExitCodes()
    {
        var data = _temp.Combine("data");
        Run("--data", data, "init").ExitCode.ShouldBe(0);
        var local = _temp.File("bin.dat");
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        File.WriteAllBytes(local, bytes);
        Run("--data", data, "put", local, "/x/bin.dat").ExitCode.ShouldBe(0);

        var ls = Run("--data", data, "ls", "/x");
        ls.ExitCode.ShouldBe(0);
        ls.StdOut.ShouldContain("bin.dat");
        ls.StdErr.ShouldBeEmpty();

        _temp.File("t.txt", "héllo ✓\n");
        Run("--data", data, "put", "t.txt", "/x/").ExitCode.ShouldBe(0);
        Run("--data", data, "cat", "/x/t.txt").StdOut.ShouldBe("héllo ✓\n");
        Run("--data", data, "get", "/x/bin.dat", "copy.dat").ExitCode.ShouldBe(0);
        File.ReadAllBytes(_temp.Combine("copy.dat")).ShouldBe(bytes);

        var missing = Run("--data", data, "stat", "/nope");
        missing.ExitCode.ShouldBe(2);
        missing.StdErr.ShouldBe("grove: not_found: not found: /nope\n");

        var usage = Run("frobnicate");
        usage.ExitCode.ShouldBe(64);
        usage.StdErr.Trim().Split('\n').Length.ShouldBe(1);

        await using (await TreeService.OpenAsync(new TreeOptions { DataPath = data }))
        {
            var locked = Run("--data", data, "ls");
            locked.ExitCode.ShouldBe(3);
            locked.StdErr.ShouldStartWith("grove: store_locked: ");
            locked.StdErr.Trim().Split('\n').Length.ShouldBe(1);
        }
    }

    private ProcessResult Run(params string[] args)
    {
        var dll = Path.Join(AppContext.BaseDirectory, "grove.dll");
        File.Exists(dll).ShouldBeTrue($"the CLI should be built next to the tests: {dll}");
        return ProcessRunner.Run("dotnet", [dll, .. args], Timeout, _temp.Path, check: false);
    }
}
