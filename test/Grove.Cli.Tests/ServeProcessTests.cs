using System.Diagnostics;
using System.Text.RegularExpressions;
using Grove.Cli.Tests.Infrastructure;

namespace Grove.Cli.Tests;

/// <summary><c>grove serve</c> as a child process: it listens, answers /healthz, prints the first admin password once, and stops on SIGTERM.</summary>
public sealed partial class ServeProcessTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly GroveRunner _g = new();

    public void Dispose() => _g.Dispose();

    [Fact]
    public async Task Serve_FreshDataFolder_AnswersHealthzAcceptsLoginAndStopsOnSigterm()
    {
        var dll = Path.Join(AppContext.BaseDirectory, "grove.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _g.Temp.Path,
        };
        foreach (var arg in new[] { dll, "serve", "--data", "server-data", "--urls", "http://127.0.0.1:0" })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("GROVE", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Grove__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var password = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                listening.TrySetException(new InvalidOperationException("grove serve closed its output: " + string.Join('\n', output)));
                return;
            }

            output.Enqueue(line);
            if (Listening().Match(line) is { Success: true } m)
            {
                listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
            else if (AdminPassword().Match(line) is { Success: true } p)
            {
                password.TrySetResult(p.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += (_, e) => output.Enqueue("stderr: " + e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(Deadline);
            var admin = await password.Task.WaitAsync(Deadline);

            using var http = new HttpClient { BaseAddress = address, Timeout = Deadline };
            (await http.GetStringAsync("/healthz")).ShouldBe("ok");
            Directory.Exists(_g.Temp.Combine("server-data")).ShouldBeTrue();
            _g.SetEnvironment("GROVE_SERVER", address.ToString());
            _g.SetEnvironment("GROVE_PASSWORD", admin);
            (await _g.RunRawAsync(["login", "--user", "admin"])).ShouldSucceed();
            (await _g.RunRawAsync(["mkdir", "/from-cli"])).ShouldSucceed().Out.ShouldBe("/from-cli/\n");

            ProcessRunner.Run("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], Deadline);
            using var exit = new CancellationTokenSource(Deadline);
            await process.WaitForExitAsync(exit.Token);
            process.ExitCode.ShouldBe(0, string.Join('\n', output));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [GeneratedRegex(@"^Grove listening on (\S+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"^Created user 'admin' with password: (\S+)")]
    private static partial Regex AdminPassword();
}
