using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Grove.Cli.Tests.Infrastructure;

namespace Grove.Cli.Tests;

/// <summary>
/// The README's tour runs as written: its <c>```bash</c> blocks, top to bottom in one bash, with the <c>grove</c> these
/// tests were built with on PATH, a temporary home folder (the tour works in <c>~/grove-tour</c>) and a free port
/// instead of the tour server's 7071. A failure names the block and the README line that broke.
/// </summary>
public sealed partial class ReadmeTourTests : IDisposable
{
    private const string TourAddress = "127.0.0.1:7071";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);
    private readonly TempFolder _temp = new("grove-readme-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Readme_FirstScreen_KeepsTheServerAndTestCommandsCiRuns()
    {
        var readme = ReadmeBlocks.Load();
        var first = readme.All[0];
        first.SkipReason.ShouldNotBeNull();
        first.Lines.ShouldContain("dotnet run --project src/Grove.Server");
        first.Lines.ShouldContain("dotnet test Grove.slnx -c Release");
        var ci = File.ReadAllText(Path.Join(Path.GetDirectoryName(readme.Path), ".ci", "run"));
        ci.ShouldContain("dotnet test Grove.slnx -c Release ", Case.Sensitive, ".ci/run runs the README's test command");
        readme.Runnable.Count().ShouldBeGreaterThanOrEqualTo(4);
    }

    [Fact]
    public void Readme_SetupBlock_PublishesTheCliThatThisTestPutsOnPath()
    {
        var setup = ReadmeBlocks.Load().All.Single(b => b.Lines.Any(l => l.StartsWith("dotnet publish ", StringComparison.Ordinal)));
        setup.SkipReason.ShouldNotBeNull();
        var publish = setup.Lines.Single(l => l.StartsWith("dotnet publish ", StringComparison.Ordinal));
        publish.ShouldStartWith("dotnet publish src/Grove.Cli -o ~/.local/grove ");
        setup.Lines.ShouldContain(l => l.StartsWith("export PATH=\"$HOME/.local/grove:$PATH\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readme_Tour_RunsTopToBottomAsWritten()
    {
        var readme = ReadmeBlocks.Load();
        var text = File.ReadAllText(readme.Path);
        text.ShouldContain(TourAddress, Case.Sensitive, "the tour's server address, which this test moves to a free port");
        var address = $"127.0.0.1:{FreePort()}";
        var script = readme.Script(line => line.Replace(TourAddress, address, StringComparison.Ordinal), out var blockOf, out var lineOf);
        var path = _temp.File("tour.sh", script);

        var result = await RunBashAsync(path);

        if (result.ExitCode != 0)
        {
            var failed = Failed().Match(result.StdErr);
            var at = failed.Success ? int.Parse(failed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
            var block = blockOf(at);
            var where = block is null
                ? "(no line reported)"
                : $"block {block.Number} (README.md line {lineOf(at)}): {block.Lines[lineOf(at) - block.FirstLine]}";
            throw new Xunit.Sdk.XunitException($"the README tour failed with exit code {result.ExitCode} at {where}\n{result.Output}");
        }

        // A few things each part of the tour must have shown, so a block that silently did nothing is caught too.
        result.StdOut.ShouldContain("initialized Grove data in");
        result.StdOut.ShouldContain("call the bank\nsend the report\n");
        result.StdOut.ShouldContain("hello from a real folder");
        result.StdOut.ShouldContain("consistent");
        result.StdOut.ShouldContain("currency: CHF", Case.Sensitive, "the Nacos and Diamond reads see the second publish");
        result.StdOut.ShouldContain("compiling unit 1000");
        result.StdErr.ShouldContain("stopped at 3 matches");
        File.Exists(Path.Join(_temp.Path, "home", "grove-tour", "numbers.txt")).ShouldBeFalse("the tour cleans up after itself");
    }

    private async Task<ProcessResult> RunBashAsync(string script)
    {
        var home = _temp.Dir("home");
        var bin = _temp.Dir("bin");
        var grove = Path.Join(bin, "grove");
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        File.WriteAllText(grove, $"#!/bin/sh\nexec '{host}' '{Path.Join(AppContext.BaseDirectory, "grove.dll")}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(grove, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var info = new ProcessStartInfo("bash")
        {
            ArgumentList = { script },
            WorkingDirectory = home,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("GROVE", StringComparison.OrdinalIgnoreCase) || k.StartsWith("XDG_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["HOME"] = home;
        info.Environment["PATH"] = bin + ":" + info.Environment["PATH"];
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the README tour did not finish within {Deadline.TotalMinutes} minutes; stderr so far: {(stderr.IsCompleted ? stderr.Result : "")}");
        }

        return new ProcessResult("bash " + script, process.ExitCode, await stdout, await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"@@README-FAILED line=(\d+)")]
    private static partial Regex Failed();
}
