using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Grove.Testing;

/// <summary>
/// A server the tests start as a child process on a free local port (s3rver, redis-server), shared by a test process
/// and stopped at its exit. When it cannot start, tests skip with the reason, or fail under <c>CI=true</c>.
/// </summary>
public sealed class ServiceProcess
{
    private readonly Process? _process;

    private ServiceProcess(string name, Process? process, int port, string? unavailableReason, string? folder)
    {
        Name = name;
        _process = process;
        Port = port;
        UnavailableReason = unavailableReason;
        Folder = folder;
        if (process is not null)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        }
    }

    /// <summary>What runs (for messages).</summary>
    public string Name { get; }

    /// <summary>The local port it listens on.</summary>
    public int Port { get; }

    /// <summary>Its working folder (removed at exit).</summary>
    public string? Folder { get; }

    /// <summary>Why it cannot be used, or null when it runs.</summary>
    public string? UnavailableReason { get; }

    /// <summary>
    /// True when it runs; otherwise writes the reason to <paramref name="output"/> and returns false (the test then
    /// returns), or throws under CI.
    /// </summary>
    public bool AvailableOrSkip(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (UnavailableReason is not { } reason)
        {
            return true;
        }

        if (PostgresServer.IsCi)
        {
            throw new InvalidOperationException($"{Name} is required under CI=true but unavailable: {reason}");
        }

        output.WriteLine($"Skipped: {Name} is unavailable: {reason}");
        return false;
    }

    /// <summary>A server that cannot be used, with the reason.</summary>
    public static ServiceProcess Unavailable(string name, string reason) => new(name, null, 0, reason, null);

    /// <summary>
    /// Starts <paramref name="executable"/> with the arguments <paramref name="arguments"/> builds from (port, folder);
    /// waits until it listens on the port. Note that the port is free when probed, and another process may take it
    /// before the server binds: the server then exits and starts again on another port (at most three times), and a
    /// connection that succeeds counts only when the listener is the server's own.
    /// </summary>
    public static ServiceProcess Start(string name, string executable, Func<int, string, IEnumerable<string>> arguments, TimeSpan readyWithin)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var folder = Directory.CreateTempSubdirectory("grove-" + name + "-").FullName;
        var deadline = DateTime.UtcNow + readyWithin;
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in arguments(port, folder))
            {
                info.ArgumentList.Add(a);
            }

            Process process;
            try
            {
                process = Process.Start(info) ?? throw new InvalidOperationException("no process");
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                return Unavailable(name, $"cannot run {executable}: {e.Message}");
            }

            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            while (DateTime.UtcNow < deadline && !process.HasExited)
            {
                if (Accepts(port) && PortOwner.IsListenedBy(port, process.Id) != false)
                {
                    // Note that the test host is often killed before ProcessExit handlers run: a watchdog stops the server then.
                    ExitWatchdog.Arrange(folder, ["kill", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                    return new ServiceProcess(name, process, port, null, folder);
                }

                Thread.Sleep(20);
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                return Unavailable(name, $"{executable} did not listen on port {port} within {readyWithin.TotalSeconds} s");
            }

            if (attempt == 3 || DateTime.UtcNow >= deadline)
            {
                return Unavailable(name, $"{executable} exited with code {process.ExitCode} at start (last on port {port})");
            }
        }
    }

    /// <summary>A free local TCP port.</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var c = new TcpClient();
            c.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Stop()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }

            if (Folder is not null)
            {
                Directory.Delete(Folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // Best effort at process exit.
        }
    }
}
