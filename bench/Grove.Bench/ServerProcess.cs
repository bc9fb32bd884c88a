using System.Diagnostics;
using System.Globalization;

namespace Grove.Bench;

/// <summary>
/// A Grove server in a process of its own (the Grove.Server.dll built beside the bench), so its memory is measured
/// apart from the clients': resident set now (<c>VmRSS</c>) and at its peak (<c>VmHWM</c>), from /proc.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    public const string Password = "bench-password-1";

    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Pid => _process.Id;

    public static async Task<ServerProcess> StartAsync(string data, int port = 0, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Grove.Server.dll"));
        foreach (var arg in new[] { "--data", data, "--urls", $"http://127.0.0.1:{port}" })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["GROVE_ADMIN_PASSWORD"] = Password;
        psi.Environment["Grove__RateLimitPerSecond"] = "0";
        psi.Environment["Grove__Identity__PasswordIterations"] = "1000";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";

        // Note that the download test's log is over 1 GiB, the default size limit of a task: raise it (Grove:Logs).
        psi.Environment["Grove__Logs__MaxTaskBytes"] = (4L << 30).ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine("  server: " + line);
            }
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            const string Marker = "Grove listening on ";
            if (line.StartsWith(Marker, StringComparison.Ordinal))
            {
                var url = line[Marker.Length..].Split(' ', ',')[0];
                _ = DrainAsync(process.StandardOutput);
                return new ServerProcess(process, new Uri(url));
            }
        }

        throw new InvalidOperationException("the server process ended before it listened");
    }

    private static async Task DrainAsync(StreamReader output)
    {
        while (await output.ReadLineAsync() is not null)
        {
        }
    }

    /// <summary>The server's resident memory now, in bytes.</summary>
    public long Rss() => Status("VmRSS:");

    /// <summary>The server's peak resident memory since it started, in bytes.</summary>
    public long PeakRss() => Status("VmHWM:");

    /// <summary>A byte figure of /proc/PID/status (<c>RssAnon:</c>, <c>RssFile:</c>, …).</summary>
    public long Status(string key)
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the server stops accepting, finishes its requests and closes the store.
            using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }
}
