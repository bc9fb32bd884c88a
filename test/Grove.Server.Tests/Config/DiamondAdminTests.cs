using System.Net;
using System.Net.Http.Headers;
using FsCheck;
using FsCheck.Fluent;
using static Grove.Server.Tests.Config.ConfigKit;

namespace Grove.Server.Tests.Config;

/// <summary><c>admin.do</c> and <c>login.do</c>: a signed-in session (cookie or bearer), every method, and bad input.</summary>
public sealed class DiamondAdminTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await StartAsync(c => c with { MaxContentBytes = 1024 });
        _admin = await LoginAsync("admin", RunningServer.AdminPassword);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A client that signed in through login.do and keeps its cookie, as a browser on the admin pages does.</summary>
    private async Task<HttpClient> LoginAsync(string user, string password)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _server.Address };
        var login = await client.PostAsync("/diamond-server/login.do", Form(("method", "login"), ("username", user), ("password", password)));
        var body = await login.JsonOkAsync();
        body.GetProperty("user").GetString().ShouldBe(user);
        return client;
    }

    private static Task<HttpResponseMessage> Admin(HttpClient client, params (string, string)[] fields) =>
        client.PostAsync("/diamond-server/admin.do", Form(fields));

    [Fact]
    public async Task PostConfig_ThenListConfig_AnswersDiamondsPageJson()
    {
        var page = await (await Admin(_admin, ("method", "postConfig"), ("dataId", "db.properties"), ("group", "APP"), ("content", "url=jdbc:x\n"))).JsonOkAsync();
        page.GetProperty("totalCount").GetInt32().ShouldBe(1);
        var item = page.GetProperty("pageItems")[0];
        item.GetProperty("dataId").GetString().ShouldBe("db.properties");
        item.GetProperty("group").GetString().ShouldBe("APP");
        item.GetProperty("content").GetString().ShouldBe("url=jdbc:x\n");
        item.GetProperty("md5").GetString().ShouldBe(Md5("url=jdbc:x\n"));
        _server.Held("db.properties", "APP")!.ModifiedBy.ShouldBe("admin");

        var list = await (await _admin.GetAsync("/diamond-server/admin.do?method=listConfig&dataId=db.properties&group=APP&pageNo=1&pageSize=20")).JsonOkAsync();
        list.GetProperty("pagesAvailable").GetInt32().ShouldBe(1);
        list.GetProperty("pageItems")[0].GetProperty("id").GetInt64().ShouldBe(_server.Held("db.properties", "APP")!.Revision);
    }

    [Fact]
    public async Task AdminDo_WithoutSession_Is401_AndNonEditorsAre403()
    {
        var anonymous = _server.Anonymous();
        (await Admin(anonymous, ("method", "listConfig"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await _server.UserAsync("reader");
        var reader = await LoginAsync("reader", RunningServer.UserPassword);
        (await Admin(reader, ("method", "postConfig"), ("dataId", "a"), ("group", "G"), ("content", "x"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        _server.Held("a", "G").ShouldBeNull();

        await _server.UserAsync("editor", "config");
        var editor = await LoginAsync("editor", RunningServer.UserPassword);
        (await Admin(editor, ("method", "postConfig"), ("dataId", "a"), ("group", "G"), ("content", "x"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AdminDo_AcceptsABearerToken()
    {
        var bearer = await _server.AdminAsync();
        (await Admin(bearer, ("method", "postConfig"), ("dataId", "b"), ("group", "G"), ("content", "x"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_EndsTheSession()
    {
        var client = await LoginAsync("admin", RunningServer.AdminPassword);
        (await client.GetAsync("/diamond-server/login.do?method=logout")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Admin(client, ("method", "listConfig"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CrossSiteRequest_IsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/diamond-server/admin.do") { Content = Form(("method", "deleteConfig"), ("dataId", "x"), ("group", "G")) };
        request.Headers.Add("Origin", "https://evil.example");
        (await _admin.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PostConfig_Existing_Is409_UpdateConfig_Missing_Is404()
    {
        await _server.PutAsync("x", "1", "G");
        (await Admin(_admin, ("method", "postConfig"), ("dataId", "x"), ("group", "G"), ("content", "2"))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Admin(_admin, ("method", "updateConfig"), ("dataId", "nope"), ("group", "G"), ("content", "2"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Admin(_admin, ("method", "updateConfig"), ("dataId", "x"), ("group", "G"), ("content", "2"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        _server.Held("x", "G")!.Content.ShouldBe("2");
    }

    [Fact]
    public async Task DeleteConfig_ByIdOrByKey()
    {
        await _server.PutAsync("one", "1", "G");
        await _server.PutAsync("two", "2", "G");
        var id = _server.Held("one", "G")!.Revision;
        (await _admin.GetAsync($"/diamond-server/admin.do?method=deleteConfig&id={id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        _server.Held("one", "G").ShouldBeNull();
        (await _admin.GetAsync($"/diamond-server/admin.do?method=deleteConfig&id={id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _admin.GetAsync("/diamond-server/admin.do?method=deleteConfig&dataId=two&group=G")).StatusCode.ShouldBe(HttpStatusCode.OK);
        _server.Held("two", "G").ShouldBeNull();
    }

    [Fact]
    public async Task ListConfigLike_IsFuzzy_AndDetailConfigAnswersOne()
    {
        await _server.PutAsync("order-service.yaml", "a: 1", "SHOP");
        await _server.PutAsync("user-service.yaml", "a: 2", "SHOP");
        await _server.PutAsync("gateway", "x", "EDGE");
        var like = await (await _admin.GetAsync("/diamond-server/admin.do?method=listConfigLike&dataId=SERVICE&group=&pageNo=1&pageSize=10")).JsonOkAsync();
        like.GetProperty("totalCount").GetInt32().ShouldBe(2);

        var detail = await (await _admin.GetAsync("/diamond-server/admin.do?method=detailConfig&dataId=gateway&group=EDGE")).JsonOkAsync();
        detail.GetProperty("content").GetString().ShouldBe("x");
        (await _admin.GetAsync("/diamond-server/admin.do?method=detailConfig&dataId=none&group=EDGE")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BatchQuery_SplitsDataIdsOnChar2()
    {
        await _server.PutAsync("a", "A", "G");
        await _server.PutAsync("b", "B", "G");
        var result = await (await Admin(_admin, ("method", "batchQuery"), ("dataIds", $"a{Word}missing{Word}b"), ("group", "G"))).JsonOkAsync();
        result.GetArrayLength().ShouldBe(3);
        result[0].GetProperty("status").GetInt32().ShouldBe(1);
        result[0].GetProperty("content").GetString().ShouldBe("A");
        result[1].GetProperty("status").GetInt32().ShouldBe(2);
        result[2].GetProperty("content").GetString().ShouldBe("B");
    }

    [Fact]
    public async Task BatchAddOrUpdate_AddsAndUpdates_InOneGo()
    {
        await _server.PutAsync("old", "o", "G");
        var all = $"old{Word}updated{Line}new{Word}created{Line}";
        var result = await (await Admin(_admin, ("method", "batchAddOrUpdate"), ("allDataIdAndContent", all), ("group", "G"))).JsonOkAsync();
        result[0].GetProperty("status").GetInt32().ShouldBe(4, "updated");
        result[1].GetProperty("status").GetInt32().ShouldBe(3, "added");
        _server.Held("old", "G")!.Content.ShouldBe("updated");
        _server.Held("new", "G")!.Content.ShouldBe("created");
    }

    [Theory]
    [InlineData("good\u0002x\u0001bad id\u0002y\u0001", "line 2")]
    [InlineData("good\u0002x\u0001nocontent\u0001", "char 2")]
    [InlineData("good\u0002x\u0001big\u0002BIG\u0001", "limit")]
    public async Task BatchAddOrUpdate_OneBadEntry_AppliesNothing(string all, string named)
    {
        all = all.Replace("BIG", new string('x', 2000), StringComparison.Ordinal);
        using var response = await Admin(_admin, ("method", "batchAddOrUpdate"), ("allDataIdAndContent", all), ("group", "G"));
        ((int)response.StatusCode).ShouldBeOneOf(400, 413);
        (await response.Content.ReadAsStringAsync()).ShouldContain(named);
        _server.Held("good", "G").ShouldBeNull("nothing of the batch was applied");
    }

    [Fact]
    public async Task Upload_TakesContentFromAFile_AndReuploadReplacesIt()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("upload"), "method" },
            { new StringContent("f.json"), "dataId" },
            { new StringContent("G"), "group" },
        };
        var file = new ByteArrayContent("{\"a\":1}"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "contentFile", "f.json");
        (await _admin.PostAsync("/diamond-server/admin.do", form)).StatusCode.ShouldBe(HttpStatusCode.OK);
        _server.Held("f.json", "G")!.Content.ShouldBe("{\"a\":1}");

        using var again = new MultipartFormDataContent
        {
            { new StringContent("reupload"), "method" },
            { new StringContent("f.json"), "dataId" },
            { new StringContent("G"), "group" },
            { new ByteArrayContent("{ broken"u8.ToArray()), "contentFile", "f.json" },
        };
        var refused = await (await _admin.PostAsync("/diamond-server/admin.do", again)).Content.ReadAsStringAsync();
        refused.ShouldContain("invalid_format");
        _server.Held("f.json", "G")!.Content.ShouldBe("{\"a\":1}");
    }

    [Fact]
    public async Task OversizedContent_Is413NamingTheLimit()
    {
        using var response = await Admin(_admin, ("method", "postConfig"), ("dataId", "big"), ("group", "G"), ("content", new string('x', 1025)));
        var body = await response.JsonOkAsync(HttpStatusCode.RequestEntityTooLarge);
        body.GetProperty("limit").GetInt64().ShouldBe(1024);
        body.GetProperty("message").GetString()!.ShouldContain("1024");
        _server.Held("big", "G").ShouldBeNull();
    }

    [Fact]
    public async Task UnknownMethod_Is400()
    {
        var body = await (await _admin.GetAsync("/diamond-server/admin.do?method=dropDatabase")).JsonOkAsync(HttpStatusCode.BadRequest);
        body.GetProperty("message").GetString()!.ShouldContain("unknown method 'dropDatabase'");
    }

    [Fact]
    public async Task Users_AreGroveUsers_AddChangeListDelete()
    {
        (await Admin(_admin, ("method", "addUser"), ("userName", "ops"), ("password", "ops-password-1"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ops = await LoginAsync("ops", "ops-password-1");
        (await Admin(ops, ("method", "postConfig"), ("dataId", "by-ops"), ("group", "G"), ("content", "x"))).StatusCode.ShouldBe(HttpStatusCode.OK, "a Diamond user is an editor");

        (await _admin.GetAsync("/diamond-server/admin.do?method=changePassword&userName=ops&password=ops-password-2")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await LoginAsync("ops", "ops-password-2");
        var users = await (await _admin.GetAsync("/diamond-server/admin.do?method=listUser")).JsonOkAsync();
        users.EnumerateArray().Select(u => u.GetProperty("userName").GetString()).ShouldContain("ops");
        (await _admin.GetAsync("/diamond-server/admin.do?method=reloadUser")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _admin.GetAsync("/diamond-server/admin.do?method=deleteUser&userName=ops")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _server.Server.Identity.FindUserAsync("ops")).ShouldBeNull();
        (await Admin(ops, ("method", "listUser"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the deleted user's session ends");
    }

    [Fact]
    public async Task RefuseRequestCount_SetAndGet_LimitsConfigCo()
    {
        await _server.PutAsync("c", "v");
        var set = await (await Admin(_admin, ("method", "setRefuseRequestCount"), ("count", "2"))).JsonOkAsync();
        set.GetProperty("count").GetInt32().ShouldBe(2);
        (await (await _admin.GetAsync("/diamond-server/admin.do?method=getRefuseRequestCount")).JsonOkAsync()).GetProperty("count").GetInt32().ShouldBe(2);

        var client = _server.Anonymous();
        (await client.GetAsync("/diamond-server/config.co?dataId=c")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/diamond-server/config.co?dataId=c")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/diamond-server/config.co?dataId=c")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await Admin(_admin, ("method", "setRefuseRequestCount"), ("count", "-1"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task DiamondBatch_GeneratedInput_AnsweredWithoutServerError()
    {
        // A standing check (issue 12): the batch formats (char 1 between lines, char 2 between fields) under generated input.
        var gen = Gen.OneOf(
            Gen.ArrayOf(Gen.Elements(Word.ToString(), Line.ToString(), "a.yaml", "b", " ", "k: v", "\n", "..", "/", "%", "", "é", "x=1")).Select(string.Concat),
            ArbMap.Default.ArbFor<string>().Generator.Select(t => t ?? ""));
        foreach (var (text, i) in gen.Sample(30, 120).Where(t => !t.Any(char.IsSurrogate)).Select((t, i) => (t, i)))
        {
            using var update = await Admin(_admin, ("method", "batchAddOrUpdate"), ("allDataIdAndContent", text), ("group", "PROP"));
            ((int)update.StatusCode).ShouldBeLessThan(500, $"batchAddOrUpdate of {text.Length} chars: {await update.Content.ReadAsStringAsync()}");
            using var query = await Admin(_admin, ("method", "batchQuery"), ("dataIds", text), ("group", i % 2 == 0 ? "PROP" : text));
            ((int)query.StatusCode).ShouldBeLessThan(500, $"batchQuery of {text.Length} chars: {await query.Content.ReadAsStringAsync()}");
        }
    }
}
