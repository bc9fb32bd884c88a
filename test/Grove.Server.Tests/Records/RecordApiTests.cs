using System.Net;
using System.Text;
using static Grove.Server.Tests.ApiAssertions;

namespace Grove.Server.Tests.Records;

/// <summary>The /api/v1/records routes on a real in-process server: define, rows, bulk, find, rotate, stats, access.</summary>
public sealed class RecordApiTests : IAsyncLifetime
{
    private const string Mapping = """
        {"tableName":"t_news","fields":[{"name":"id","type":"Long"},{"name":"ct","type":"Long","notNull":true},
         {"name":"title"},{"name":"ver","type":"Integer","isVersion":true}],
         "pks":["id"],"indexes":[{"name":"by_title","fields":["title"]}],
         "history":{"cutField":"ct","mainRows":5,"tableRows":10,"keep":3}}
        """;

    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Records_DefineInsertGetUpdateFindRotateDelete_OverHttp()
    {
        var info = await (await _admin.PutAsync("/api/v1/records/news", Json(Mapping))).JsonAsync(HttpStatusCode.Created);
        info.GetProperty("revision").GetInt32().ShouldBe(1);
        (await (await _admin.GetAsync("/api/v1/records")).JsonAsync()).GetProperty("items")[0].GetString().ShouldBe("news");

        var row = await (await _admin.PostAsync("/api/v1/records/news/rows", Json("""{"id":1,"ct":1,"title":"one"}"""))).JsonAsync(HttpStatusCode.Created);
        row.GetProperty("ver").GetInt32().ShouldBe(1);
        await (await _admin.PostAsync("/api/v1/records/news/rows", Json("""{"id":1,"ct":1}"""))).ProblemAsync(HttpStatusCode.Conflict, "duplicate_key");
        (await (await _admin.GetAsync("/api/v1/records/news/rows/1")).JsonAsync()).Str("title").ShouldBe("one");
        await (await _admin.GetAsync("/api/v1/records/news/rows/2")).ProblemAsync(HttpStatusCode.NotFound, "not_found");

        (await (await _admin.PatchAsync("/api/v1/records/news/rows/1", Json("""{"ver":1,"title":"uno"}"""))).JsonAsync()).GetProperty("ver").GetInt32().ShouldBe(2);
        await (await _admin.PatchAsync("/api/v1/records/news/rows/1", Json("""{"ver":1,"title":"lost"}"""))).ProblemAsync(HttpStatusCode.Conflict, "conflict");

        var ndjson = new StringContent(string.Join('\n', Enumerable.Range(2, 9).Select(i => $$"""{"id":{{i}},"ct":{{i}},"title":"n{{i}}"}""")), Encoding.UTF8, "application/x-ndjson");
        (await (await _admin.PostAsync("/api/v1/records/news/bulk", ndjson)).JsonAsync()).GetProperty("rows").GetInt32().ShouldBe(9);
        var csv = new StringContent("id,ct,title\n11,11,\"with, comma\"\n12,12,\n", Encoding.UTF8, "text/csv");
        (await (await _admin.PostAsync("/api/v1/records/news/bulk", csv)).JsonAsync()).GetProperty("rows").GetInt32().ShouldBe(2);
        (await (await _admin.GetAsync("/api/v1/records/news/rows/11")).JsonAsync()).Str("title").ShouldBe("with, comma");
        await (await _admin.PostAsync("/api/v1/records/news/bulk", new StringContent("x", Encoding.UTF8, "text/plain"))).ProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

        var rotated = await (await _admin.PostAsync("/api/v1/records/news/rotate", null)).JsonAsync();
        rotated.GetProperty("moved").GetInt32().ShouldBe(7);
        var stats = await (await _admin.GetAsync("/api/v1/records/news/stats")).JsonAsync();
        stats.GetProperty("tables").EnumerateArray().Sum(t => t.GetProperty("rows").GetInt32()).ShouldBe(12);
        stats.GetProperty("tables")[0].Str("kind").ShouldBe("main");

        var page = await (await _admin.PostAsync("/api/v1/records/news/find", Json("""{"where":{"id":{"$gte":2}},"sort":"-id","limit":4,"count":true}"""))).JsonAsync();
        page.GetProperty("total").GetInt32().ShouldBe(11);
        page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).ShouldBe([12, 11, 10, 9]);
        var next = page.Str("next");
        var second = await (await _admin.PostAsync("/api/v1/records/news/find", Json($$$"""{"where":{"id":{"$gte":2}},"sort":"-id","limit":4,"after":"{{{next}}}"}"""))).JsonAsync();
        second.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).ShouldBe([8, 7, 6, 5]);
        await (await _admin.PostAsync("/api/v1/records/news/find", Json("""{"where":{"secret":1}}"""))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_query");
        await (await _admin.PostAsync("/api/v1/records/news/find", Json("""{"limit":100000}"""))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_query");

        (await (await _admin.GetAsync("/api/v1/records/news/rows/2")).JsonAsync()).Str("title").ShouldBe("n2");
        (await _admin.DeleteAsync("/api/v1/records/news/rows/2")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await _admin.DeleteAsync("/api/v1/records/news/rows/2")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Records_BadMappingAndDestructiveChange_ProblemNamingTheField()
    {
        var response = await _admin.PutAsync("/api/v1/records/bad", Json("""{"tableName":"t","fields":[{"name":"id","type":"Str"}],"pks":["id"]}"""));
        using (var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            problem.RootElement.Str("field").ShouldBe("id");
        }

        (await response.ProblemAsync(HttpStatusCode.BadRequest, "invalid_mapping")).ShouldContain("unknown type");
        await (await _admin.PutAsync("/api/v1/records/news", Json(Mapping))).JsonAsync(HttpStatusCode.Created);
        var destructive = await (await _admin.PutAsync("/api/v1/records/news", Json(Mapping.Replace(""",{"name":"ver","type":"Integer","isVersion":true}""", "")))).ProblemAsync(HttpStatusCode.Conflict, "destructive_change");
        destructive.ShouldContain("'ver' cannot be removed");
        (await (await _admin.PutAsync("/api/v1/records/news", Json(Mapping))).JsonAsync()).GetProperty("revision").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Records_Permissions_UsersReadButOnlyOwnersWriteAndAdminsDefine()
    {
        await (await _admin.PutAsync("/api/v1/records/news", Json(Mapping))).JsonAsync(HttpStatusCode.Created);
        await (await _admin.PostAsync("/api/v1/records/news/rows", Json("""{"id":1,"ct":1,"title":"one"}"""))).JsonAsync(HttpStatusCode.Created);
        var user = await _server.UserAsync("reader");
        (await (await user.GetAsync("/api/v1/records/news/rows/1")).JsonAsync()).Str("title").ShouldBe("one");
        await (await user.PostAsync("/api/v1/records/news/rows", Json("""{"id":2,"ct":2}"""))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await user.PutAsync("/api/v1/records/mine", Json(Mapping.Replace("t_news", "t_mine")))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await user.PutAsync("/api/v1/records/news", Json(Mapping))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await _server.Anonymous().GetAsync("/api/v1/records/news/rows/1")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task DaoMount_RowsAsFiles_ListMetaEditAndQueryOverHttp()
    {
        await (await _admin.PutAsync("/api/v1/records/news", Json(Mapping))).JsonAsync(HttpStatusCode.Created);
        foreach (var i in new[] { 1, 2, 3 })
        {
            await (await _admin.PostAsync("/api/v1/records/news/rows", Json($$"""{"id":{{i}},"ct":{{i}},"title":"t{{i}}"}"""))).JsonAsync(HttpStatusCode.Created);
        }

        (await (await _admin.PutAsync("/api/v1/mounts/db/news", Json("""{"mount":"dao(news)"}"""))).JsonAsync()).Str("mnt").ShouldBe("dao(news)");
        var listing = await (await _admin.GetAsync("/api/v1/ls/db/news")).JsonAsync();
        listing.GetProperty("items").EnumerateArray().Select(o => o.Str("nm")).ShouldBe(["1", "2", "3"]);
        (await (await _admin.GetAsync("/api/v1/stat/db/news/2")).JsonAsync()).Str("title").ShouldBe("t2");

        (await (await _admin.PatchAsync("/api/v1/meta/db/news/2", Json("""{"set":{"title":"two"}}"""))).JsonAsync()).Str("title").ShouldBe("two");
        (await (await _admin.GetAsync("/api/v1/records/news/rows/2")).JsonAsync()).GetProperty("ver").GetInt32().ShouldBe(2);
        var found = await (await _admin.PostAsync("/api/v1/query", Json("""{"parent":"/db/news","where":{"title":"two"}}"""))).JsonAsync();
        found.GetProperty("items").EnumerateArray().Select(o => o.Str("ph")).ShouldBe(["/db/news/2"]);
        await (await _admin.PostAsync("/api/v1/query", Json("""{"parent":"/db/news","where":{"color":"red"}}"""))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");
    }
}
