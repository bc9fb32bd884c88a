using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using static Grove.Server.Tests.ApiAssertions;
using static Grove.Server.Tests.Config.ConfigKit;

namespace Grove.Server.Tests.Config;

/// <summary>Grove's own config API: CRUD with validation, history, gray release, listeners, transfer and limits.</summary>
public sealed class ConfigApiTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await StartAsync(c => c with { MaxContentBytes = 4096 });
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> Put(string group, string dataId, string json, string? tenant = null) =>
        _admin.PutAsync($"/api/v1/config/items/{group}/{dataId}{(tenant is null ? "" : "?tenant=" + tenant)}", Json(json));

    [Fact]
    public async Task Publish_Get_List_Delete()
    {
        var created = await (await Put("APP", "app.json", """{"content":"{\"a\":1}","desc":"the app","tags":["x","y"],"app":"shop"}""")).JsonOkAsync(HttpStatusCode.Created);
        created.GetProperty("md5").GetString().ShouldBe(Md5("{\"a\":1}"));
        created.GetProperty("type").GetString().ShouldBe("json");

        using var get = await _admin.GetAsync("/api/v1/config/items/APP/app.json");
        var item = await get.JsonOkAsync();
        item.GetProperty("content").GetString().ShouldBe("{\"a\":1}");
        item.GetProperty("modifiedBy").GetString().ShouldBe("admin");
        get.Headers.ETag!.Tag.ShouldBe($"\"{Md5("{\"a\":1}")}\"");

        await Put("APP", "other.txt", """{"content":"hello world"}""");
        var byContent = await (await _admin.GetAsync("/api/v1/config?content=WORLD")).JsonOkAsync();
        byContent.GetProperty("total").GetInt32().ShouldBe(1);
        var byTag = await (await _admin.GetAsync("/api/v1/config?tags=x")).JsonOkAsync();
        byTag.GetProperty("items")[0].GetProperty("dataId").GetString().ShouldBe("app.json");
        var fuzzy = await (await _admin.GetAsync("/api/v1/config?dataId=OTH")).JsonOkAsync();
        fuzzy.GetProperty("items")[0].GetProperty("dataId").GetString().ShouldBe("other.txt");

        (await _admin.DeleteAsync("/api/v1/config/items/APP/app.json")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await _admin.GetAsync("/api/v1/config/items/APP/app.json")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await _admin.DeleteAsync("/api/v1/config/items/APP/app.json")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task IfMatch_ByMd5_GuardsAgainstLostUpdates()
    {
        await Put("G", "cas", """{"content":"one"}""");
        using var stale = new HttpRequestMessage(HttpMethod.Put, "/api/v1/config/items/G/cas") { Content = Json("""{"content":"two"}""") };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{Md5("zero")}\""));
        await (await _admin.SendAsync(stale)).ProblemAsync(HttpStatusCode.Conflict, "conflict");

        using var fresh = new HttpRequestMessage(HttpMethod.Put, "/api/v1/config/items/G/cas") { Content = Json("""{"content":"two"}""") };
        fresh.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{Md5("one")}\""));
        (await _admin.SendAsync(fresh)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var create = new HttpRequestMessage(HttpMethod.Put, "/api/v1/config/items/G/cas") { Content = Json("""{"content":"three"}""") };
        create.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        await (await _admin.SendAsync(create)).ProblemAsync(HttpStatusCode.Conflict, "conflict");
    }

    [Theory]
    [InlineData("bad.json", "{\"a\": [1, 2,}", 1)]
    [InlineData("bad.yaml", "a: 1\nb: [2\nc: 3\n", 2)]
    [InlineData("bad.xml", "<a>\n  <b>\n</a>", 3)]
    [InlineData("bad.properties", "ok=1\nbad=\\u12G4\n", 2)]
    public async Task InvalidFormat_Is400WithLineAndColumn(string dataId, string content, int line)
    {
        using var response = await Put("G", dataId, JsonSerializer.Serialize(new { content }));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        using var doc = JsonDocument.Parse(text);
        doc.RootElement.GetProperty("code").GetString().ShouldBe("invalid_format");
        doc.RootElement.GetProperty("line").GetInt32().ShouldBe(line);
        doc.RootElement.GetProperty("column").GetInt32().ShouldBeGreaterThan(0);
        _server.Held(dataId, "G").ShouldBeNull();
    }

    [Fact]
    public async Task TooLarge_Is413WithTheLimit()
    {
        using var response = await Put("G", "big", JsonSerializer.Serialize(new { content = new string('x', 5000) }));
        var problem = await response.JsonOkAsync(HttpStatusCode.RequestEntityTooLarge);
        problem.GetProperty("code").GetString().ShouldBe("too_large");
        problem.GetProperty("limit").GetInt64().ShouldBe(4096);
        problem.GetProperty("detail").GetString()!.ShouldContain("4096");
    }

    [Theory]
    [InlineData("G", "a%20b")]
    [InlineData("G", "a%2Fb")]
    [InlineData("G%3F", "a")]
    public async Task BadIds_Are400(string group, string dataId)
    {
        using var response = await _admin.PutAsync($"/api/v1/config/items/{group}/{dataId}", Json("""{"content":"x"}"""));
        ((int)response.StatusCode).ShouldBeOneOf(400, 404);
        _server.Server.ConfigCenter.Count.ShouldBe(0);
    }

    [Fact]
    public async Task IdOver256Characters_Is400()
    {
        await (await Put("G", new string('d', 257), """{"content":"x"}""")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_argument");
    }

    [Fact]
    public async Task Validate_And_Preview_ShowErrorsAndTheDiffBeforePublishing()
    {
        var ok = await (await _admin.PostAsync("/api/v1/config/validate", Json("""{"type":"yaml","content":"a: 1"}"""))).JsonOkAsync();
        ok.GetProperty("valid").GetBoolean().ShouldBeTrue();
        var bad = await (await _admin.PostAsync("/api/v1/config/validate", Json("""{"type":"json","content":"{\n  \"a\": }"}"""))).JsonOkAsync();
        bad.GetProperty("valid").GetBoolean().ShouldBeFalse();
        bad.GetProperty("error").GetProperty("line").GetInt32().ShouldBe(2);

        await Put("G", "p.properties", """{"content":"a=1\nb=2\n"}""");
        var preview = await (await _admin.PostAsync("/api/v1/config/items/G/p.properties/preview", Json("""{"content":"a=1\nb=3\n"}"""))).JsonOkAsync();
        preview.GetProperty("valid").GetBoolean().ShouldBeTrue();
        preview.GetProperty("unified").GetString()!.ShouldContain("+b=3");
        preview.GetProperty("added").GetInt32().ShouldBe(1);
        _server.Held("p.properties", "G")!.Content.ShouldBe("a=1\nb=2\n", "a preview publishes nothing");
    }

    [Fact]
    public async Task History_Diff_Rollback_Audit()
    {
        await Put("G", "h.txt", """{"content":"one\n"}""");
        await Put("G", "h.txt", """{"content":"two\n"}""");
        var history = await (await _admin.GetAsync("/api/v1/config/items/G/h.txt/history")).JsonOkAsync();
        history.GetProperty("total").GetInt32().ShouldBe(2);
        var (newest, oldest) = (history.GetProperty("items")[0].GetProperty("id").GetInt64(), history.GetProperty("items")[1].GetProperty("id").GetInt64());

        var entry = await (await _admin.GetAsync($"/api/v1/config/items/G/h.txt/history/{oldest}")).JsonOkAsync();
        entry.GetProperty("content").GetString().ShouldBe("one\n");
        entry.GetProperty("user").GetString().ShouldBe("admin");
        await (await _admin.GetAsync($"/api/v1/config/items/G/other/history/{oldest}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");

        var diff = await (await _admin.GetAsync($"/api/v1/config/items/G/h.txt/diff?from={oldest}&to={newest}")).JsonOkAsync();
        diff.GetProperty("unified").GetString()!.ShouldContain("-one");
        diff.GetProperty("unified").GetString()!.ShouldContain("+two");

        var rolled = await (await _admin.PostAsync("/api/v1/config/items/G/h.txt/rollback", Json($$"""{"id":{{oldest}}}"""))).JsonOkAsync();
        rolled.GetProperty("md5").GetString().ShouldBe(Md5("one\n"));
        _server.Held("h.txt", "G")!.Content.ShouldBe("one\n");

        var audit = await (await _admin.GetAsync("/api/v1/config/audit?user=admin&limit=10")).JsonOkAsync();
        audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("op").GetString()).ShouldBe(["rollback", "publish", "publish"]);
        var reader = await _server.UserAsync("reader");
        await (await reader.GetAsync("/api/v1/config/audit")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Beta_PublishToALabel_ThenPromote_AndCancel()
    {
        await Put("G", "flag", """{"content":"off"}""");
        (await _admin.PutAsync("/api/v1/config/items/G/flag/beta", Json("""{"content":"on","labels":["canary"]}"""))).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var canary = new HttpRequestMessage(HttpMethod.Get, "/api/v1/config/items/G/flag");
        canary.Headers.Add("X-Grove-Labels", "zone=a, canary");
        var seen = await (await _admin.SendAsync(canary)).JsonOkAsync();
        seen.GetProperty("content").GetString().ShouldBe("on");
        seen.GetProperty("beta").GetBoolean().ShouldBeTrue();
        (await (await _admin.GetAsync("/api/v1/config/items/G/flag")).JsonOkAsync()).GetProperty("content").GetString().ShouldBe("off");

        (await _admin.PostAsync("/api/v1/config/items/G/flag/beta/promote", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        _server.Held("flag", "G")!.Content.ShouldBe("on");
        await (await _admin.GetAsync("/api/v1/config/items/G/flag/beta")).ProblemAsync(HttpStatusCode.NotFound, "not_found");

        (await _admin.PutAsync("/api/v1/config/items/G/flag/beta", Json("""{"content":"maybe","ips":["10.1.1.1"]}"""))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _admin.DeleteAsync("/api/v1/config/items/G/flag/beta")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        _server.Server.ConfigCenter.GetBeta(Grove.Config.ConfigKey.Create("flag", "G")).ShouldBeNull();
        await (await _admin.PutAsync("/api/v1/config/items/G/flag/beta", Json("""{"content":"x"}"""))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_argument");
    }

    [Fact]
    public async Task Listeners_ShowWhichClientsHoldWhichMd5()
    {
        await Put("G", "watched", """{"content":"v1"}""");
        var probe = $"watched{Word}G{Word}{Md5("old")}{Line}";
        await _server.Anonymous().PostAsync("/diamond-server/config.co", Form(("Probe-Modify-Request", probe)));

        var listeners = await (await _admin.GetAsync("/api/v1/config/items/G/watched/listeners")).JsonOkAsync();
        var one = listeners.EnumerateArray().Single();
        one.GetProperty("ip").GetString().ShouldBe("127.0.0.1");
        one.GetProperty("md5").GetString().ShouldBe(Md5("old"));
        one.GetProperty("current").GetBoolean().ShouldBeFalse();
        var byIp = await (await _admin.GetAsync("/api/v1/config/listeners?ip=127.0.0.1")).JsonOkAsync();
        byIp[0].GetProperty("dataId").GetString().ShouldBe("watched");
    }

    [Fact]
    public async Task ExportThenImport_UnderEachConflictPolicy()
    {
        await Put("G", "a.yaml", """{"content":"a: 1","desc":"A"}""");
        await Put("G", "b.txt", """{"content":"b"}""");
        var zip = await _admin.GetByteArrayAsync("/api/v1/config/export");
        using (var archive = new ZipArchive(new MemoryStream(zip)))
        {
            archive.Entries.Select(e => e.FullName).ShouldBe([".metadata.yml", "G/a.yaml", "G/b.txt"], ignoreOrder: true);
        }

        await (await _admin.PostAsync("/api/v1/config/import", new ByteArrayContent(zip))).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        var skipped = await (await _admin.PostAsync("/api/v1/config/import?policy=skip", new ByteArrayContent(zip))).JsonOkAsync();
        skipped.GetProperty("skipped").GetArrayLength().ShouldBe(2);
        var copied = await (await _admin.PostAsync("/api/v1/config/import?tenant=staging", new ByteArrayContent(zip))).JsonOkAsync();
        copied.GetProperty("created").GetArrayLength().ShouldBe(2);
        _server.Held("a.yaml", "G", "staging")!.Description.ShouldBe("A");
        await Put("G", "b.txt", """{"content":"changed"}""");
        var overwritten = await (await _admin.PostAsync("/api/v1/config/import?policy=overwrite", new ByteArrayContent(zip))).JsonOkAsync();
        overwritten.GetProperty("updated").GetArrayLength().ShouldBe(2);
        _server.Held("b.txt", "G")!.Content.ShouldBe("b");

        await (await _admin.PostAsync("/api/v1/config/import", new ByteArrayContent("not a zip"u8.ToArray()))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_argument");
        await (await _admin.PostAsync("/api/v1/config/import?policy=maybe", new ByteArrayContent(zip))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_argument");
    }

    [Fact]
    public async Task Limiter_ReadByEditors_SetByAdmins()
    {
        var limiter = await (await _admin.GetAsync("/api/v1/config/limiter")).JsonOkAsync();
        limiter.GetProperty("refuseRequestCount").GetInt32().ShouldBe(20_000);
        (await _admin.PutAsync("/api/v1/config/limiter", Json("""{"refuseRequestCount":5}"""))).StatusCode.ShouldBe(HttpStatusCode.OK);
        _server.Server.ConfigCenter.Limiter.RefuseRequestCount.ShouldBe(5);
        var editor = await _server.UserAsync("editor", "config");
        (await editor.GetAsync("/api/v1/config/limiter")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await editor.PutAsync("/api/v1/config/limiter", Json("""{"refuseRequestCount":0}"""))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task ConfigApi_NeedsSignIn_AndWritesNeedAnEditor()
    {
        await (await _server.Anonymous().GetAsync("/api/v1/config")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var reader = await _server.UserAsync("reader");
        (await reader.GetAsync("/api/v1/config")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await reader.PutAsync("/api/v1/config/items/G/x", Json("""{"content":"x"}"""))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
