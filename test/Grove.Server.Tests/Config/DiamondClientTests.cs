using Grove.Config;
using Grove.Server.Endpoints.Config;
using Grove.Testing;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using static Grove.Server.Tests.Config.ConfigKit;

namespace Grove.Server.Tests.Config;

/// <summary>The seed's client endpoints, driven the way Diamond's client sends requests.</summary>
public sealed class DiamondClientTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await StartAsync();
        _client = _server.Anonymous();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Get_ReturnsContentWithContentMd5AndLastModified()
    {
        await _server.PutAsync("app.properties", "greeting=héllo 配置\n", "DIAMOND");
        using var response = await _client.GetAsync("/diamond-server/config.co?dataId=app.properties&group=DIAMOND");

        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(System.Text.Encoding.UTF8.GetBytes("greeting=héllo 配置\n"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        RawHeader(response, "Content-MD5").ShouldBe(Md5("greeting=héllo 配置\n"), "Diamond sends the MD5 as hex text");
        response.Content.Headers.LastModified!.Value.ShouldBe(_server.Held("app.properties", "DIAMOND")!.ModifiedAt, TimeSpan.FromSeconds(1));
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
    }

    [Fact]
    public async Task Get_WithoutGroup_UsesDefaultGroup_AndUnknownIs404()
    {
        await _server.PutAsync("plain", "v");
        (await (await _client.GetAsync("/diamond-server/config.co?dataId=plain")).TextAsync(HttpStatusCode.OK)).ShouldBe("v");
        await (await _client.GetAsync("/diamond-server/config.co?dataId=missing&group=G")).TextAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("dataId=a/b&group=G", "dataId")]
    [InlineData("dataId=..&group=G", "dataId")]
    [InlineData("dataId=ok&group=g%20roup", "group")]
    [InlineData("group=G", "dataId is required")]
    public async Task Get_BadKey_Is400NamingIt(string query, string named)
    {
        var text = await (await _client.GetAsync("/diamond-server/config.co?" + query)).TextAsync(HttpStatusCode.BadRequest);
        text.ShouldContain(named);
    }

    [Fact]
    public async Task Get_DataIdOver256Characters_Is400()
    {
        var text = await (await _client.GetAsync("/diamond-server/config.co?group=G&dataId=" + new string('d', 257))).TextAsync(HttpStatusCode.BadRequest);
        text.ShouldContain("at most 256");
    }

    [Fact]
    public async Task Get_OverTheRequestCounter_Is503WithRandomizedRetryAfter()
    {
        await _server.PutAsync("counted", "v");
        _server.Server.ConfigCenter.Limiter.RefuseRequestCount = 3;
        for (var i = 0; i < 3; i++)
        {
            (await _client.GetAsync("/diamond-server/config.co?dataId=counted")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var refused = await _client.GetAsync("/diamond-server/config.co?dataId=counted");
        refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Get_WhileTheConfigIsBeingWritten_Is304WithTheMd5()
    {
        await _server.PutAsync("busy", "before");
        var admin = await _server.AdminAsync();
        using var blocker = new SqliteConnection($"Data Source={Path.Join(_server.Options.Data, "index.db")}");
        await blocker.OpenAsync();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }

        // The publish waits for SQLite's write lock, which this connection holds: the config is being modified.
        var publish = admin.PutAsync("/api/v1/config/items/DEFAULT_GROUP/busy", ApiAssertions.Json("""{"content":"after"}"""));
        await Eventually.HoldsAsync(() => Task.FromResult(_server.Server.ConfigCenter.IsBeingModified(Grove.Config.ConfigKey.Create("busy", "DEFAULT_GROUP"))), "the publish is committing");
        using (var during = await _client.GetAsync("/diamond-server/config.co?dataId=busy"))
        {
            during.StatusCode.ShouldBe(HttpStatusCode.NotModified);
            RawHeader(during, "Content-MD5").ShouldBe(Md5("before"));
        }

        using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        var published = await publish;
        published.StatusCode.ShouldBe(HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        (await (await _client.GetAsync("/diamond-server/config.co?dataId=busy")).TextAsync(HttpStatusCode.OK)).ShouldBe("after");
    }

    [Fact]
    public async Task Probe_AnswersTheChangedKeysUrlEncoded()
    {
        await _server.PutAsync("same", "s", "G");
        await _server.PutAsync("changed", "new", "G");
        var probe = $"same{Word}G{Word}{Md5("s")}{Line}changed{Word}G{Word}{Md5("old")}{Line}absent{Word}G{Word}{Line}";
        using var response = await _client.PostAsync("/diamond-server/config.co", Form(("Probe-Modify-Request", probe)));

        (await response.TextAsync(HttpStatusCode.OK)).ShouldBe("changed%02G%01");
        response.Headers.Pragma.ToString().ShouldBe("no-cache");
    }

    [Fact]
    public async Task Probe_TellsTheClientItsPollInterval()
    {
        await _server.PutAsync("same", "s", "G");
        using var response = await _client.PostAsync("/diamond-server/config.co", Form(("Probe-Modify-Request", $"same{Word}G{Word}{Md5("s")}{Line}")));

        await response.TextAsync(HttpStatusCode.OK);
        RawHeader(response, "client-spacing-interval").ShouldBe("15", "Diamond's client sets its polling interval from this header");
    }

    [Fact]
    public void SpacingFor_ClientSpendingItsCounter_IsToldToWaitLonger()
    {
        var time = new ManualTime();
        var limiter = new RequestLimiter(8, TimeSpan.FromSeconds(10), time);
        int? Next()
        {
            limiter.TryAcquire("10.0.0.1");
            return DiamondConfigEndpoints.SpacingFor(limiter, "10.0.0.1", TimeSpan.FromSeconds(15));
        }

        // Requests 1-3 of 8: the configured 15 s; from 4 (half): 30 s; from 6 (three quarters): 60 s.
        Enumerable.Range(0, 8).Select(_ => Next()).ShouldBe([15, 15, 15, 30, 30, 60, 60, 60]);
        DiamondConfigEndpoints.SpacingFor(limiter, "10.0.0.2", TimeSpan.FromSeconds(15)).ShouldBe(15, "another client is not slowed");

        time.Advance(TimeSpan.FromSeconds(10));
        DiamondConfigEndpoints.SpacingFor(limiter, "10.0.0.1", TimeSpan.FromSeconds(15)).ShouldBe(15, "a new window starts afresh");
        DiamondConfigEndpoints.SpacingFor(limiter, "10.0.0.1", TimeSpan.Zero).ShouldBeNull("zero turns the header off");
        limiter.RefuseRequestCount = 0;
        DiamondConfigEndpoints.SpacingFor(limiter, "10.0.0.1", TimeSpan.FromMinutes(2)).ShouldBe(120);
    }

    [Fact]
    public async Task Probe_NothingChanged_AnswersEmpty_AndAMissingConfigTheClientHasIsChanged()
    {
        await _server.PutAsync("same", "s", "G");
        var probe = $"same{Word}G{Word}{Md5("s")}{Line}";
        (await (await _client.PostAsync("/diamond-server/config.co", Form(("Probe-Modify-Request", probe)))).TextAsync(HttpStatusCode.OK)).ShouldBe("");

        var deleted = $"gone{Word}G{Word}{Md5("x")}{Line}";
        (await (await _client.PostAsync("/diamond-server/config.co", Form(("Probe-Modify-Request", deleted)))).TextAsync(HttpStatusCode.OK)).ShouldBe("gone%02G%01");
    }

    [Fact]
    public async Task Probe_WithTenantField_AnswersItBack()
    {
        await _server.PutAsync("t", "v", "G", tenant: "ns-1");
        var probe = $"t{Word}G{Word}{Word}ns-1{Line}";
        (await (await _client.PostAsync("/diamond-server/config.co", Form(("Probe-Modify-Request", probe)))).TextAsync(HttpStatusCode.OK))
            .ShouldBe("t%02G%02ns-1%01");
    }

    [Fact]
    public async Task Probe_WithLongPullingTimeout_IsHeldUntilAPublish()
    {
        await _server.PutAsync("watched", "v1", "G");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/diamond-server/config.co")
        {
            Content = Form(("Probe-Modify-Request", $"watched{Word}G{Word}{Md5("v1")}{Line}")),
        };
        request.Headers.Add("longPullingTimeout", "30000");
        var poll = _client.SendAsync(request);
        await Eventually.HoldsAsync(() => Task.FromResult(_server.Server.ConfigCenter.WaiterCount == 1), "the poll is held");
        poll.IsCompleted.ShouldBeFalse();

        await _server.PutAsync("watched", "v2", "G");
        (await (await poll).TextAsync(HttpStatusCode.OK)).ShouldBe("watched%02G%01");
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("a\u0002G\u0002\u0002x\u0002y\u0001", "5 field(s)")]
    [InlineData("a\u0002G\u0001", "2 field(s)")]
    [InlineData("a\u0002G\u0002nothex\u0001", "not 32 hex digits")]
    [InlineData("a b\u0002G\u0002\u0001", "dataId")]
    [InlineData("../../etc\u0002G\u0002\u0001", "dataId")]
    public async Task Probe_Malformed_Is400WithAClearMessage(string probe, string named)
    {
        var text = await (await _client.PostAsync("/diamond-server/config.co", Form(("Probe-Modify-Request", probe)))).TextAsync(HttpStatusCode.BadRequest);
        text.ShouldContain(named);
    }

    [Fact]
    public async Task Notify_ReloadsTheKey_AndRefusesOtherMethods()
    {
        await _server.PutAsync("n", "v");
        (await (await _client.GetAsync("/diamond-server/notify.do?method=notifyConfigInfo&dataId=n&group=DEFAULT_GROUP")).TextAsync(HttpStatusCode.OK)).ShouldBe("OK");
        (await (await _client.GetAsync("/diamond-server/notify.do?method=reboot")).TextAsync(HttpStatusCode.BadRequest)).ShouldContain("unknown method");
    }

    [Fact]
    public async Task Get_OverAUnixSocketWithoutClientAddress_Is400()
    {
        using var folder = new TempFolder();
        var socket = folder.Combine("grove.sock");
        await using var unix = await RunningServer.StartAsync(o => o with { Urls = "http://unix:" + socket });
        await unix.PutAsync("x", "v");
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        }) { BaseAddress = new Uri("http://localhost") };

        (await (await http.GetAsync("/diamond-server/config.co?dataId=x")).TextAsync(HttpStatusCode.BadRequest)).ShouldContain("address is unknown");
    }
}
