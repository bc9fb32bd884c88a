using System.Diagnostics;
using System.Net;
using static Grove.Server.Tests.Config.ConfigKit;

namespace Grove.Server.Tests.Config;

/// <summary>Nacos's open API v1, driven the way Nacos's Java client sends requests (form bodies, accessToken, separators).</summary>
public sealed class NacosConfigTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _http = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await StartAsync();
        _http = _server.Anonymous();
        _token = await LoginAsync("admin", RunningServer.AdminPassword);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> LoginAsync(string user, string password)
    {
        var login = await (await _http.PostAsync("/nacos/v1/auth/login", Form(("username", user), ("password", password)))).JsonOkAsync();
        return login.GetProperty("accessToken").GetString()!;
    }

    private Task<HttpResponseMessage> PublishAsync(params (string, string)[] fields) =>
        _http.PostAsync("/nacos/v1/cs/configs?accessToken=" + _token, Form(fields));

    [Fact]
    public async Task Login_IssuesAccessTokenWithTtlAndAdminFlag()
    {
        var login = await (await _http.PostAsync("/nacos/v1/auth/users/login", Form(("username", "admin"), ("password", RunningServer.AdminPassword)))).JsonOkAsync();
        login.GetProperty("accessToken").GetString()!.Length.ShouldBeGreaterThan(20);
        login.GetProperty("tokenTtl").GetInt64().ShouldBeInRange(12 * 3600 - 60, 12 * 3600);
        login.GetProperty("globalAdmin").GetBoolean().ShouldBeTrue();
        (await _http.PostAsync("/nacos/v1/auth/login", Form(("username", "admin"), ("password", "wrong-password")))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Publish_AnswersTrue_ThenGetAnswersTheRawContentWithHeaders()
    {
        var publish = await PublishAsync(("dataId", "app.yaml"), ("group", "DEFAULT_GROUP"), ("content", "server:\n  port: 8080\n"), ("type", "yaml"), ("desc", "the app"), ("config_tags", "a,b"), ("appName", "shop"));
        (await publish.TextAsync(HttpStatusCode.OK)).ShouldBe("true");

        using var get = await _http.GetAsync("/nacos/v1/cs/configs?dataId=app.yaml&group=DEFAULT_GROUP&tenant=");
        (await get.TextAsync(HttpStatusCode.OK)).ShouldBe("server:\n  port: 8080\n");
        RawHeader(get, "Content-MD5").ShouldBe(Md5("server:\n  port: 8080\n"));
        RawHeader(get, "Config-Type").ShouldBe("yaml");
        get.Content.Headers.LastModified.ShouldNotBeNull();
        var held = _server.Held("app.yaml")!;
        held.Description.ShouldBe("the app");
        held.Tags.ShouldBe(["a", "b"]);
        held.App.ShouldBe("shop");
    }

    [Fact]
    public async Task Get_Unknown_Is404WithNacosBody_AndPublicIsTheDefaultNamespace()
    {
        (await (await _http.GetAsync("/nacos/v1/cs/configs?dataId=nope&group=G")).TextAsync(HttpStatusCode.NotFound)).ShouldBe("config data not exist\n");
        await _server.PutAsync("ns", "v", "G");
        (await (await _http.GetAsync("/nacos/v1/cs/configs?dataId=ns&group=G&tenant=public")).TextAsync(HttpStatusCode.OK)).ShouldBe("v");
    }

    [Fact]
    public async Task Publish_WithoutCredentials_Is403_WithUsernameAndPasswordParameters_Works()
    {
        (await _http.PostAsync("/nacos/v1/cs/configs", Form(("dataId", "x"), ("group", "G"), ("content", "v")))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await _http.PostAsync("/nacos/v1/cs/configs?accessToken=forged", Form(("dataId", "x"), ("group", "G"), ("content", "v")))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        _server.Held("x", "G").ShouldBeNull();

        for (var i = 0; i < 3; i++)
        {
            (await (await _http.PostAsync("/nacos/v1/cs/configs", Form(("dataId", "x"), ("group", "G"), ("content", $"v{i}"), ("username", "admin"), ("password", RunningServer.AdminPassword))))
                .TextAsync(HttpStatusCode.OK)).ShouldBe("true");
        }

        _server.Held("x", "G")!.Content.ShouldBe("v2");
    }

    [Fact]
    public async Task Delete_AnswersTrue_AndTheConfigIsGone()
    {
        await _server.PutAsync("d", "v", "G");
        (await (await _http.DeleteAsync("/nacos/v1/cs/configs?dataId=d&group=G&accessToken=" + _token)).TextAsync(HttpStatusCode.OK)).ShouldBe("true");
        (await _http.GetAsync("/nacos/v1/cs/configs?dataId=d&group=G")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CasMd5_Mismatch_Is409_AndMatchPublishes()
    {
        await _server.PutAsync("cas", "one", "G");
        (await PublishAsync(("dataId", "cas"), ("group", "G"), ("content", "two"), ("casMd5", Md5("stale")))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await PublishAsync(("dataId", "cas"), ("group", "G"), ("content", "two"), ("casMd5", Md5("one")))).StatusCode.ShouldBe(HttpStatusCode.OK);
        _server.Held("cas", "G")!.Content.ShouldBe("two");
    }

    [Theory]
    [InlineData("bad/id", "G", "content", "dataId")]
    [InlineData("x", "G G", "content", "group")]
    [InlineData("x.json", "G", "{\"a\":", "line")]
    [InlineData("x", "G", "   ", "content is required")]
    public async Task Publish_BadInput_Is400InNacosFormat(string dataId, string group, string content, string named)
    {
        var text = await (await PublishAsync(("dataId", dataId), ("group", group), ("content", content))).TextAsync(HttpStatusCode.BadRequest);
        text.ShouldStartWith("caused: ");
        text.ShouldContain(named);
    }

    [Fact]
    public async Task BetaIpsHeader_ServesTheGrayContentOnlyToThatClient()
    {
        await _server.PutAsync("gray", "stable", "G");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/nacos/v1/cs/configs?accessToken=" + _token)
        {
            Content = Form(("dataId", "gray"), ("group", "G"), ("content", "canary")),
        };
        request.Headers.Add("betaIps", "127.0.0.1,10.9.9.9");
        (await (await _http.SendAsync(request)).TextAsync(HttpStatusCode.OK)).ShouldBe("true");

        using var get = await _http.GetAsync("/nacos/v1/cs/configs?dataId=gray&group=G");
        (await get.TextAsync(HttpStatusCode.OK)).ShouldBe("canary");
        RawHeader(get, "isBeta").ShouldBe("true");
        _server.Held("gray", "G")!.Content.ShouldBe("stable", "everyone else keeps the released content");

        var beta = await (await _http.GetAsync($"/nacos/v1/cs/configs?dataId=gray&group=G&beta=true&accessToken={_token}")).JsonOkAsync();
        beta.GetProperty("data").GetProperty("betaIps").GetString().ShouldBe("127.0.0.1,10.9.9.9");
        (await _http.DeleteAsync($"/nacos/v1/cs/configs?dataId=gray&group=G&beta=true&accessToken={_token}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await _http.GetAsync("/nacos/v1/cs/configs?dataId=gray&group=G")).TextAsync(HttpStatusCode.OK)).ShouldBe("stable");
    }

    [Fact]
    public async Task Tag_PublishesToClientsThatAskWithIt()
    {
        await _server.PutAsync("tagged", "stable", "G");
        (await PublishAsync(("dataId", "tagged"), ("group", "G"), ("content", "zone-a"), ("tag", "zone-a"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await _http.GetAsync("/nacos/v1/cs/configs?dataId=tagged&group=G&tag=zone-a")).TextAsync(HttpStatusCode.OK)).ShouldBe("zone-a");
        (await (await _http.GetAsync("/nacos/v1/cs/configs?dataId=tagged&group=G")).TextAsync(HttpStatusCode.OK)).ShouldBe("stable");
    }

    [Fact]
    public async Task Listener_AnswersChangedKeysAtOnce()
    {
        await _server.PutAsync("l1", "a", "G");
        await _server.PutAsync("l2", "b", "G", tenant: "dev");
        var listening = $"l1{Word}G{Word}{Md5("old")}{Line}l2{Word}G{Word}{Md5("old")}{Word}dev{Line}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/nacos/v1/cs/configs/listener") { Content = Form(("Listening-Configs", listening)) };
        request.Headers.Add("Long-Pulling-Timeout", "30000");
        var text = await (await _http.SendAsync(request)).TextAsync(HttpStatusCode.OK);
        text.ShouldBe("l1%02G%01l2%02G%02dev%01\n");
    }

    [Fact]
    public async Task Listener_IsHeldUntilAPublish_ThenAnswersTheKey()
    {
        await _server.PutAsync("held", "v1", "G");
        var poll = ListenAsync($"held{Word}G{Word}{Md5("v1")}{Line}", "30000");
        await Eventually.HoldsAsync(() => Task.FromResult(_server.Server.ConfigCenter.WaiterCount == 1), "the poll is held");

        var sw = Stopwatch.StartNew();
        (await PublishAsync(("dataId", "held"), ("group", "G"), ("content", "v2"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await poll).TextAsync(HttpStatusCode.OK)).ShouldBe("held%02G%01\n");
        sw.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "woken by the publish, not by the timeout");
    }

    [Fact]
    public async Task Listener_TimesOutEmpty_AndNoHangupAnswersAtOnce()
    {
        await _server.PutAsync("quiet", "v", "G");
        var listening = $"quiet{Word}G{Word}{Md5("v")}{Line}";
        // 700 ms asked: held 200 ms (the test server's minimum; 500 ms less than asked otherwise), then empty.
        (await (await ListenAsync(listening, "700")).TextAsync(HttpStatusCode.OK)).ShouldBe("");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/nacos/v1/cs/configs/listener") { Content = Form(("Listening-Configs", listening)) };
        request.Headers.Add("Long-Pulling-Timeout", "30000");
        request.Headers.Add("Long-Pulling-Timeout-No-Hangup", "true");
        var sw = Stopwatch.StartNew();
        (await (await _http.SendAsync(request)).TextAsync(HttpStatusCode.OK)).ShouldBe("");
        sw.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        _server.Server.ConfigCenter.GetListeners(Grove.Config.ConfigKey.Create("quiet", "G")).Single().Md5.ShouldBe(Md5("v"));
    }

    [Fact]
    public async Task Stopping_AnswersHeldPollsAtOnce_SoClientsPollElsewhere()
    {
        // Note that the grace period is far longer than the poll may take to be answered on a loaded machine, so the
        // test tells "answered at once" from "waited out the grace period" without racing the clock.
        var server = await RunningServer.StartAsync(o => o with { ShutdownTimeout = TimeSpan.FromSeconds(90) });
        await using (server)
        {
            await server.PutAsync("held", "v", "G");
            var client = server.Anonymous();
            var poll = client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/nacos/v1/cs/configs/listener")
            {
                Content = Form(("Listening-Configs", $"held{Word}G{Word}{Md5("v")}{Line}")),
                Headers = { { "Long-Pulling-Timeout", "60000" } },
            });
            await Eventually.HoldsAsync(() => Task.FromResult(server.Server.ConfigCenter.WaiterCount == 1), "the poll is held");

            var sw = Stopwatch.StartNew();
            await server.Server.StopAsync();
            sw.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(45), "the shutdown does not wait for the held poll (held 59.5 s; grace 90 s)");
            (await (await poll).TextAsync(HttpStatusCode.OK)).ShouldBe("", "nothing changed: the client polls again");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\u0002b\u0001")]
    [InlineData("a\u0002G\u0002zz\u0001")]
    public async Task Listener_MalformedListeningConfigs_Is400(string listening)
    {
        var text = await (await ListenAsync(listening, "30000")).TextAsync(HttpStatusCode.BadRequest);
        text.ShouldStartWith("caused: ");
    }

    [Fact]
    public async Task History_ListDetailPrevious()
    {
        foreach (var v in new[] { "v1", "v2", "v3" })
        {
            (await PublishAsync(("dataId", "h"), ("group", "G"), ("content", v))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var page = await (await _http.GetAsync($"/nacos/v1/cs/history?search=accurate&dataId=h&group=G&pageNo=1&pageSize=2&accessToken={_token}")).JsonOkAsync();
        page.GetProperty("totalCount").GetInt32().ShouldBe(3);
        page.GetProperty("pagesAvailable").GetInt32().ShouldBe(2);
        var newest = page.GetProperty("pageItems")[0];
        newest.GetProperty("md5").GetString().ShouldBe(Md5("v3"));
        newest.GetProperty("srcUser").GetString().ShouldBe("admin");
        var nid = newest.GetProperty("id").GetString();

        var detail = await (await _http.GetAsync($"/nacos/v1/cs/history?nid={nid}&dataId=h&group=G&accessToken={_token}")).JsonOkAsync();
        detail.GetProperty("content").GetString().ShouldBe("v3");
        var previous = await (await _http.GetAsync($"/nacos/v1/cs/history/previous?id={nid}&dataId=h&group=G&accessToken={_token}")).JsonOkAsync();
        previous.GetProperty("content").GetString().ShouldBe("v2");
        (await _http.GetAsync($"/nacos/v1/cs/history?nid={nid}&dataId=other&group=G&accessToken={_token}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _http.GetAsync($"/nacos/v1/cs/history?search=accurate&dataId=h&group=G")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Search_AccurateAndBlur_AnswerNacosPages()
    {
        await _server.PutAsync("svc-order.yaml", "a: 1", "SHOP");
        await _server.PutAsync("svc-user.yaml", "a: 2", "SHOP");
        var accurate = await (await _http.GetAsync($"/nacos/v1/cs/configs?search=accurate&dataId=svc-order.yaml&group=SHOP&pageNo=1&pageSize=10&accessToken={_token}")).JsonOkAsync();
        accurate.GetProperty("totalCount").GetInt32().ShouldBe(1);
        var blur = await (await _http.GetAsync($"/nacos/v1/cs/configs?search=blur&dataId=svc-*&group=&pageNo=1&pageSize=10&accessToken={_token}")).JsonOkAsync();
        blur.GetProperty("totalCount").GetInt32().ShouldBe(2);
        blur.GetProperty("pageItems")[0].GetProperty("content").GetString().ShouldBe("a: 1");
    }

    [Fact]
    public async Task ShowAll_AnswersTheDetailedRecord()
    {
        await _server.PutAsync("detail.json", "{}", "G");
        var all = await (await _http.GetAsync($"/nacos/v1/cs/configs?show=all&dataId=detail.json&group=G")).JsonOkAsync();
        all.GetProperty("type").GetString().ShouldBe("json");
        all.GetProperty("md5").GetString().ShouldBe(Md5("{}"));
    }

    private Task<HttpResponseMessage> ListenAsync(string listening, string timeout)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/nacos/v1/cs/configs/listener") { Content = Form(("Listening-Configs", listening)) };
        request.Headers.Add("Long-Pulling-Timeout", timeout);
        return _http.SendAsync(request);
    }
}
