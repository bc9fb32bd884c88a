using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Grove.Testing;

/// <summary>A small HTTP receiver for webhooks: records each delivered POST (signature, event, body), answers with the next status queued (200 when none).</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<int> Statuses { get; } = new();

    public ConcurrentQueue<(string Signature, string Event, byte[] Body)> Received { get; } = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await ctx.Request.InputStream.CopyToAsync(body);
            var status = Statuses.TryDequeue(out var s) ? s : 200;
            if (status == 200)
            {
                // Note that the header names are the hooks' wire format (HookService.SignatureHeader), spelled here to keep this library free of Grove.Hooks.
                Received.Enqueue((ctx.Request.Headers["X-Grove-Signature"] ?? "", ctx.Request.Headers["X-Grove-Event"] ?? "", body.ToArray()));
            }

            ctx.Response.StatusCode = status;
            ctx.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
