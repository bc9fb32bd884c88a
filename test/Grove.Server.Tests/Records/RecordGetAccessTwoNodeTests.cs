using System.Net;
using Xunit.Abstractions;
using static Grove.Server.Tests.ApiAssertions;

namespace Grove.Server.Tests.Records;

/// <summary>
/// Two nodes on one PostgreSQL: node B answers a cached get from cached objects, principals and rows; a refusal decided
/// on node A (sign-out, a mode taken away) reaches B through the bus, and B refuses within its delay.
/// </summary>
public sealed class RecordGetAccessTwoNodeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Mapping = """
        {"tableName":"t_news","fields":[{"name":"id","type":"Long"},{"name":"ct","type":"Long","notNull":true},{"name":"title"}],"pks":["id"]}
        """;

    private readonly TempFolder _folder = new();
    private string? _store;

    public async Task InitializeAsync() => _store = await PostgresServer.DatabaseOrSkipAsync(output);

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task GetRow_SignedOutOnNodeA_RefusedOnNodeBWithinTheBusDelay()
    {
        if (_store is null) return;
        await using var a = await RunningServer.StartAsync(data: _folder.Dir("a"), store: _store);
        await using var b = await RunningServer.StartAsync(data: _folder.Dir("b"), store: _store);
        await DefineAsync(a);
        await a.UserAsync("mia");
        var miaOnA = await a.SignedInAsync("mia", RunningServer.UserPassword);
        using var miaOnB = b.Anonymous();
        miaOnB.DefaultRequestHeaders.Authorization = miaOnA.DefaultRequestHeaders.Authorization;
        await ReadTwiceAsync(b, miaOnB);

        (await miaOnA.PostAsync("/api/v1/auth/logout", null)).EnsureSuccessStatusCode();

        await Poll.UntilAsync(async () => (await miaOnB.GetAsync("/api/v1/records/news/rows/7")).StatusCode == HttpStatusCode.Unauthorized, "node b refuses the signed-out token");
        await (await miaOnB.GetAsync("/api/v1/records/news/rows/7")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task GetRow_ReadTakenOnNodeA_RefusedOnNodeBWithinTheBusDelay()
    {
        if (_store is null) return;
        await using var a = await RunningServer.StartAsync(data: _folder.Dir("a"), store: _store);
        await using var b = await RunningServer.StartAsync(data: _folder.Dir("b"), store: _store);
        var adminOnA = await DefineAsync(a);
        await a.UserAsync("mia");
        var miaOnB = await b.SignedInAsync("mia", RunningServer.UserPassword);
        await ReadTwiceAsync(b, miaOnB);

        (await adminOnA.PatchAsync("/api/v1/meta/records/news", Json("""{"set":{"md":448}}"""))).EnsureSuccessStatusCode(); // 0700

        await Poll.UntilAsync(async () => (await miaOnB.GetAsync("/api/v1/records/news/rows/7")).StatusCode == HttpStatusCode.Forbidden, "node b refuses the read taken away");
        await (await miaOnB.GetAsync("/api/v1/records/news/rows/7")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    private static async Task<HttpClient> DefineAsync(RunningServer a)
    {
        var admin = await a.AdminAsync();
        (await admin.PutAsync("/api/v1/records/news", Json(Mapping))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await admin.PostAsync("/api/v1/records/news/rows", Json("""{"id":7,"ct":1,"title":"seven"}"""))).StatusCode.ShouldBe(HttpStatusCode.Created);
        return admin;
    }

    /// <summary>Two reads on a node: the second is a hit of its row cache.</summary>
    private static async Task ReadTwiceAsync(RunningServer node, HttpClient client)
    {
        (await (await client.GetAsync("/api/v1/records/news/rows/7")).JsonAsync()).Str("title").ShouldBe("seven");
        var hits = node.Server.Records.CacheCounters.Hits;
        (await (await client.GetAsync("/api/v1/records/news/rows/7")).JsonAsync()).Str("title").ShouldBe("seven");
        node.Server.Records.CacheCounters.Hits.ShouldBeGreaterThan(hits, "the second read is a hit");
    }
}
