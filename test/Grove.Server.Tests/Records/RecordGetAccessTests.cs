using System.Net;
using System.Net.Http.Headers;
using static Grove.Server.Tests.ApiAssertions;

namespace Grove.Server.Tests.Records;

/// <summary>
/// A cached get is answered from the tree's cached objects, the principal cache and the row cache without a read: each
/// change of who may read takes effect on the very next request of the same client (same kept-alive connection).
/// </summary>
public sealed class RecordGetAccessTests : IAsyncLifetime
{
    private const string Mapping = """
        {"tableName":"t_news","fields":[{"name":"id","type":"Long"},{"name":"ct","type":"Long","notNull":true},{"name":"title"}],"pks":["id"]}
        """;

    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _admin = await _server.AdminAsync();
        (await _admin.PutAsync("/api/v1/records/news", Json(Mapping))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _admin.PostAsync("/api/v1/records/news/rows", Json("""{"id":7,"ct":1,"title":"seven"}"""))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetRow_ReadTakenFromTheSet_RefusedOnTheNextRequest()
    {
        var mia = await _server.UserAsync("mia");
        await ReadTwiceFromCacheAsync(mia);

        (await _admin.PatchAsync("/api/v1/meta/records/news", Json("""{"set":{"md":448}}"""))).EnsureSuccessStatusCode(); // 0700
        await (await mia.GetAsync("/api/v1/records/news/rows/7")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        (await _admin.PatchAsync("/api/v1/meta/records/news", Json("""{"set":{"md":493}}"""))).EnsureSuccessStatusCode(); // 0755
        (await (await mia.GetAsync("/api/v1/records/news/rows/7")).JsonAsync()).Str("title").ShouldBe("seven");
    }

    [Fact]
    public async Task GetRow_ListTakenFromTheFolderAbove_RefusedOnTheNextRequest()
    {
        var mia = await _server.UserAsync("mia");
        await ReadTwiceFromCacheAsync(mia);

        (await _admin.PatchAsync("/api/v1/meta/records", Json("""{"set":{"md":448}}"""))).EnsureSuccessStatusCode(); // 0700
        await (await mia.GetAsync("/api/v1/records/news/rows/7")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task GetRow_GroupOfTheReaderDeleted_RefusedOnTheNextRequest()
    {
        await _server.Server.Identity.CreateGroupAsync(Grove.Identity.Principal.System, "team", []);
        var mia = await _server.UserAsync("mia", "team");
        (await _admin.PatchAsync("/api/v1/meta/records/news", Json("""{"set":{"g":"team","md":488}}"""))).EnsureSuccessStatusCode(); // 0750
        await ReadTwiceFromCacheAsync(mia);

        (await _admin.DeleteAsync("/api/v1/groups/team")).EnsureSuccessStatusCode();
        await (await mia.GetAsync("/api/v1/records/news/rows/7")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task GetRow_SignedOut_RefusedOnTheNextRequest()
    {
        var mia = await _server.UserAsync("mia");
        await ReadTwiceFromCacheAsync(mia);

        (await mia.PostAsync("/api/v1/auth/logout", null)).EnsureSuccessStatusCode();
        await (await mia.GetAsync("/api/v1/records/news/rows/7")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task GetRow_ApiKeyDeleted_RefusedOnTheNextRequest()
    {
        var mia = await _server.UserAsync("mia");
        var key = await (await mia.PostAsync("/api/v1/keys", Json("""{"name":"reader"}"""))).JsonAsync(HttpStatusCode.Created);
        using var withKey = _server.Anonymous();
        withKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Str("key"));
        await ReadTwiceFromCacheAsync(withKey);

        (await mia.DeleteAsync("/api/v1/keys/" + key.Str("id"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await withKey.GetAsync("/api/v1/records/news/rows/7")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task GetRow_UserDeleted_RefusedOnTheNextRequest()
    {
        var mia = await _server.UserAsync("mia");
        await ReadTwiceFromCacheAsync(mia);

        (await _admin.DeleteAsync("/api/v1/users/mia")).EnsureSuccessStatusCode();
        await (await mia.GetAsync("/api/v1/records/news/rows/7")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task GetRow_AnotherClientsTokenOnTheSameConnection_AnsweredForThatClient()
    {
        var mia = await _server.UserAsync("mia");
        (await _admin.PatchAsync("/api/v1/meta/records/news", Json("""{"set":{"md":448}}"""))).EnsureSuccessStatusCode(); // 0700
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/records/news/rows/7");
        request.Headers.Authorization = mia.DefaultRequestHeaders.Authorization;

        (await (await _admin.GetAsync("/api/v1/records/news/rows/7")).JsonAsync()).Str("title").ShouldBe("seven");
        await (await _admin.SendAsync(request)).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        (await (await _admin.GetAsync("/api/v1/records/news/rows/7")).JsonAsync()).Str("title").ShouldBe("seven");
    }

    [Fact]
    public async Task GetRow_KeyNotInCanonicalForm_SameRowAsTheCachedOne()
    {
        (await (await _admin.GetAsync("/api/v1/records/news/rows/7")).JsonAsync()).Str("title").ShouldBe("seven");
        (await (await _admin.GetAsync("/api/v1/records/news/rows/007")).JsonAsync()).Str("title").ShouldBe("seven");
        await (await _admin.GetAsync("/api/v1/records/news/rows/8")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await _admin.GetAsync("/api/v1/records/nothing/rows/7")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    /// <summary>Two reads: the second is a hit of the row cache (and the objects the check needs are cached by the first).</summary>
    private async Task ReadTwiceFromCacheAsync(HttpClient client)
    {
        (await (await client.GetAsync("/api/v1/records/news/rows/7")).JsonAsync()).Str("title").ShouldBe("seven");
        var hits = _server.Server.Records.CacheCounters.Hits;
        (await (await client.GetAsync("/api/v1/records/news/rows/7")).JsonAsync()).Str("title").ShouldBe("seven");
        _server.Server.Records.CacheCounters.Hits.ShouldBeGreaterThan(hits, "the second read is a hit");
    }
}
