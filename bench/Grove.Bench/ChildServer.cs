using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Grove.Bench;

/// <summary>A peer server (s3rver, redis-server) the bench starts on a free port and stops at the end.</summary>
internal sealed class ChildServer : IDisposable
{
    private readonly Process _process;

    private ChildServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static ChildServer Start(string exe, Func<int, IEnumerable<string>> args)
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args(port))
        {
            psi.ArgumentList.Add(a);
        }

        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, port);
                return new ChildServer(p, port);
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        p.Kill(true);
        throw new InvalidOperationException($"{exe} did not listen on {port}");
    }

    public void Dispose()
    {
        _process.Kill(true);
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
