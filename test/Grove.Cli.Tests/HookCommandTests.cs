using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Grove.Cli.Tests.Infrastructure;
using Grove.Hooks;

namespace Grove.Cli.Tests;

/// <summary><c>grove hook</c> in the CLI's local mode (issue 13, section 4): on a data folder, without a server.</summary>
public sealed class HookCommandTests : IDisposable
{
    private readonly GroveRunner _g = new();
    private readonly WebhookReceiver _receiver = new();

    public void Dispose()
    {
        _receiver.Dispose();
        _g.Dispose();
    }

    [Fact]
    public async Task Hook_LocalAddLsTestRm_WorkOnTheDataFolder()
    {
        (await _g.RunAsync("init")).ShouldSucceed();

        var added = (await _g.RunAsync("hook", "add", "/inbox", "--on", "create,write", "--url", _receiver.Url)).ShouldSucceed();
        var fields = added.Lines[0].Split('\t');
        var id = fields[0];
        fields[1..].ShouldBe(["/inbox", "create,write", _receiver.Url]);
        var secret = added.Lines[1]["secret: ".Length..];
        var listed = (await _g.RunAsync("hook", "ls")).ShouldSucceed().Lines.ShouldHaveSingleItem();
        listed.ShouldStartWith($"{id}\t/inbox\tcreate,write\t{_receiver.Url}\trev ");
        listed.ShouldEndWith("\tok");

        var test = (await _g.RunAsync("hook", "test", id)).ShouldSucceed();

        test.Out.Trim().ShouldBe("delivered");
        var (signature, body) = _receiver.Received.ShouldHaveSingleItem();
        signature.ShouldBe(HookService.Sign(secret, body), "signed with the secret add printed");
        Encoding.UTF8.GetString(body).ShouldContain("\"path\":\"/inbox\"");

        (await _g.RunAsync("hook", "rm", id)).ShouldSucceed().Out.Trim().ShouldBe("removed");
        (await _g.RunAsync("hook", "ls")).ShouldSucceed().Out.ShouldBeEmpty();
        var again = await _g.RunAsync("hook", "rm", id);
        again.ExitCode.ShouldNotBe(0);
        again.Error.ShouldContain("not_found");
    }

    [Fact]
    public async Task Hook_LocalTestOfAFailingUrl_ReportsAndListsTheFailure()
    {
        (await _g.RunAsync("init")).ShouldSucceed();
        _receiver.Statuses.Enqueue(500);
        var id = (await _g.RunAsync("hook", "add", "/", "--on", "delete", "--url", _receiver.Url)).ShouldSucceed().Lines[0].Split('\t')[0];

        var test = await _g.RunAsync("hook", "test", id);

        test.ExitCode.ShouldBe(2);
        test.Out.ShouldStartWith("failed: ");
        (await _g.RunAsync("hook", "ls")).ShouldSucceed().Out.ShouldContain("failing");
    }

    [Fact]
    public async Task Hook_LocalQueueHook_NamesTheQueue()
    {
        (await _g.RunAsync("init")).ShouldSucceed();
        (await _g.RunAsync("mount", "/events", "mq(events)")).ShouldSucceed();

        var added = (await _g.RunAsync("hook", "add", "/docs", "--on", "delete,move", "--queue", "/events")).ShouldSucceed();

        added.Lines[0].Split('\t')[1..].ShouldBe(["/docs", "move,delete", "/events"]);
        (await _g.RunAsync("hook", "ls")).ShouldSucceed().Out.ShouldContain("\t/events\t");
    }

    [Theory]
    [InlineData("create,bogus", "--url", "http://127.0.0.1:1/x", "bogus")]
    [InlineData("create", "--queue", "/not-a-queue", "not_a_queue")]
    [InlineData("create", "--url", "ftp://example.org/x", "invalid_argument")]
    public async Task Hook_LocalAddWithBadInput_IsRefusedAndAddsNothing(string on, string option, string value, string error)
    {
        (await _g.RunAsync("init")).ShouldSucceed();

        var refused = await _g.RunAsync("hook", "add", "/docs", "--on", on, option, value);

        refused.ExitCode.ShouldNotBe(0);
        refused.Error.ShouldContain(error);
        (await _g.RunAsync("hook", "ls")).ShouldSucceed().Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Hook_AddedLocally_IsDeliveredByTheServerThatOpensTheFolder()
    {
        (await _g.RunAsync("init")).ShouldSucceed();
        (await _g.RunAsync("hook", "add", "/inbox", "--on", "create", "--url", _receiver.Url)).ShouldSucceed();

        await using var server = await RunningServer.StartAsync(data: _g.DataPath);
        using var admin = await server.AdminAsync();
        (await admin.PutAsync("/api/v1/files/inbox/a.txt", new StringContent("a"))).EnsureSuccessStatusCode();

        // Note that the upload also creates /inbox itself: that is an event too.
        bool Delivered() => _receiver.Received.Any(r => Encoding.UTF8.GetString(r.Body).Contains("\"path\":\"/inbox/a.txt\"", StringComparison.Ordinal));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Delivered() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Delivered().ShouldBeTrue("the server delivers the hook the CLI added to its folder");
    }

    /// <summary>A webhook receiver: records each POST's signature and body, answers with the next queued status (200 when none).</summary>
    private sealed class WebhookReceiver : IDisposable
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

        public ConcurrentQueue<(string Signature, byte[] Body)> Received { get; } = new();

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
                    Received.Enqueue((ctx.Request.Headers[HookService.SignatureHeader] ?? "", body.ToArray()));
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
}
