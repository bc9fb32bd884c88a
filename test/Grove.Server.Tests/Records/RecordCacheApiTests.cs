using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace Grove.Server.Tests.Records;

/// <summary>The records GET answers with a row's JSON serialized once: it must follow the row through changes on other nodes.</summary>
public sealed class RecordCacheApiTests(ITestOutputHelper output) : IAsyncLifetime
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
    public async Task GetRow_CachedJsonOnNodeB_FollowsAnUpdateOnNodeA()
    {
        if (_store is null) return;
        await using var a = await RunningServer.StartAsync(data: _folder.Dir("a"), store: _store);
        await using var b = await RunningServer.StartAsync(data: _folder.Dir("b"), store: _store);
        var onA = await a.AdminAsync();
        var onB = await b.AdminAsync();
        (await onA.PutAsync("/api/v1/records/news", Json(Mapping))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await onA.PostAsync("/api/v1/records/news/rows", Json("""{"id":1,"ct":1,"title":"old"}"""))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await onB.GetStringAsync("/api/v1/records/news/rows/1")).ShouldContain("\"title\":\"old\"");
        (await onB.GetStringAsync("/api/v1/records/news/rows/1")).ShouldContain("\"title\":\"old\""); // Note that the second read is the cached row's bytes.

        (await onA.PatchAsync("/api/v1/records/news/rows/1", Json("""{"title":"new"}"""))).EnsureSuccessStatusCode();

        await Eventually.HoldsAsync(async () => (await onB.GetStringAsync("/api/v1/records/news/rows/1")).Contains("\"title\":\"new\"", StringComparison.Ordinal), "node b answers the new row");
        var body = await onB.GetStringAsync("/api/v1/records/news/rows/1");
        using var doc = System.Text.Json.JsonDocument.Parse(body);
        doc.RootElement.GetProperty("id").GetInt64().ShouldBe(1);
        doc.RootElement.GetProperty("title").GetString().ShouldBe("new");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
