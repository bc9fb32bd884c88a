using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Grove.Testing;

/// <summary>
/// A loopback TCP relay on a port it holds for its whole life, forwarding each connection to <see cref="Target"/>: a
/// fixed address for a server that stops and starts again on a new port. Restarting a server on the port it had
/// races every bind and connect on the machine for that port (it is free in between, and any process can take it);
/// the relay's port is never free. Set <see cref="Target"/> to null while the server is down (before it stops, since
/// the freed port may be taken by anything): a connection is then reset, as a refused one would fail.
/// </summary>
public sealed class PortRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, byte> _live = new();
    private readonly Task _accepting;
    private volatile int _target;

    /// <summary>Starts relaying to <paramref name="target"/> (a loopback port).</summary>
    public PortRelay(int target)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(target);
        _target = target;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The relay's own port.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The relay as an HTTP base address.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>The loopback port new connections go to; null: none (they are reset).</summary>
    public int? Target
    {
        get => _target == 0 ? null : _target;
        set => _target = value ?? 0;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => PumpAsync(client));
        }
    }

    private async Task PumpAsync(TcpClient client)
    {
        using var server = new TcpClient();
        _live.TryAdd(client, 0);
        _live.TryAdd(server, 0);
        try
        {
            var target = _target;
            try
            {
                if (target == 0)
                {
                    throw new SocketException((int)SocketError.ConnectionRefused);
                }

                await server.ConnectAsync(IPAddress.Loopback, target, _stop.Token);
            }
            catch (SocketException)
            {
                // Note that a reset, not a close: the client fails at once, as on a refused connection.
                client.Client.LingerState = new LingerOption(true, 0);
                return;
            }

            client.NoDelay = true;
            server.NoDelay = true;
            var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
            var down = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _live.TryRemove(client, out _);
            _live.TryRemove(server, out _);
            client.Dispose();
        }
    }

    /// <summary>Cuts every connection relayed so far; with <see cref="Target"/> null first, an outage of the server behind.</summary>
    public void Cut()
    {
        foreach (var c in _live.Keys)
        {
            c.Dispose();
        }
    }

    /// <summary>Stops listening and cuts every relayed connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
