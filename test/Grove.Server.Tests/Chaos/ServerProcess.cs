using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Grove.Server.Tests.Chaos;

/// <summary>
/// A Grove server as a child process (<c>dotnet Grove.Server.dll --data … --urls http://127.0.0.1:0</c>), so a test
/// can <c>kill -9</c> it and start it again on the same data folder.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private ServerProcess(Process process, Uri address, ConcurrentQueue<string> output)
    {
        _process = process;
        Address = address;
        _output = output;
    }

    public Uri Address { get; }

    /// <summary>What the server printed (stdout and stderr), for failure messages.</summary>
    public string Output => string.Join('\n', _output.TakeLast(60));

    public static async Task<ServerProcess> StartAsync(string data)
    {
        var dll = Path.Join(AppContext.BaseDirectory, "Grove.Server.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--data", data, "--urls", "http://127.0.0.1:0" })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("GROVE", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Grove__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["GROVE_ADMIN_PASSWORD"] = RunningServer.AdminPassword;
        info.Environment["Grove__Identity__PasswordIterations"] = "1000";
        info.Environment["Grove__RateLimitPerSecond"] = "0";
        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                listening.TrySetException(new InvalidOperationException("the server closed its output:\n" + string.Join('\n', output)));
                return;
            }

            output.Enqueue(line);
            if (Listening().Match(line) is { Success: true } m)
            {
                listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) => output.Enqueue("stderr: " + e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new ServerProcess(process, await listening.Task.WaitAsync(StartTimeout), output);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL, as <c>kill -9</c>: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"^Grove listening on (http://[^\s,]+)")]
    private static partial Regex Listening();
}
