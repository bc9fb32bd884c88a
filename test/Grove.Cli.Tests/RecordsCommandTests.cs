using System.Text.Json;
using Grove.Cli.Tests.Infrastructure;

namespace Grove.Cli.Tests;

/// <summary><c>grove records</c> on a local data folder (through the engine) and on a server (through the SDK).</summary>
public sealed class RecordsCommandTests : IDisposable
{
    private const string Mapping = """
        {"tableName":"t_news","fields":[{"name":"id","type":"Long"},{"name":"ct","type":"Long","notNull":true},
         {"name":"title"},{"name":"ver","type":"Integer","isVersion":true}],"pks":["id"],
         "history":{"cutField":"ct","mainRows":2,"tableRows":100,"keep":2}}
        """;

    private readonly GroveRunner _local = new();

    public void Dispose() => _local.Dispose();

    [Fact]
    public async Task Records_LocalFolder_DefineImportGetFindUpdateRotateStatsRm()
    {
        (await _local.RunAsync("init")).ShouldSucceed();
        var mapping = _local.TextFile("news.json", Mapping);
        (await _local.RunAsync("records", "define", "news", "--mapping", mapping)).ShouldSucceed();
        var ndjson = _local.TextFile("rows.ndjson", "{\"id\":1,\"ct\":1,\"title\":\"a\"}\n{\"id\":2,\"ct\":2,\"title\":\"b\"}\n");
        var csv = _local.TextFile("rows.csv", "id,ct,title\n3,3,c\n4,4,\"d, e\"\n");
        (await _local.RunAsync("records", "import", "news", ndjson)).ShouldSucceed().Out.ShouldContain("imported 2 rows");
        (await _local.RunAsync("--json", "records", "import", "news", csv)).ShouldSucceed().Out.Trim().ShouldBe("{\"rows\":2}");

        var got = (await _local.RunAsync("--json", "records", "get", "news", "4")).ShouldSucceed();
        JsonDocument.Parse(got.Out).RootElement.GetProperty("title").GetString().ShouldBe("d, e");
        (await _local.RunAsync("records", "get", "news", "9")).ExitCode.ShouldBe(2);

        (await _local.RunAsync("records", "update", "news", "1", "--set", "{\"ver\":1,\"title\":\"z\"}")).ShouldSucceed();
        var stale = await _local.RunAsync("records", "update", "news", "1", "--set", "{\"ver\":1,\"title\":\"y\"}");
        stale.ExitCode.ShouldBe(2);
        stale.Error.ShouldContain("conflict");

        (await _local.RunAsync("--json", "records", "rotate", "news")).ShouldSucceed().Out.ShouldContain("\"moved\":2");
        var page = JsonDocument.Parse((await _local.RunAsync("--json", "records", "find", "news", "--sort", "-id", "--limit", "3", "--count")).ShouldSucceed().Out).RootElement;
        page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ShouldBe([4L, 3L, 2L]);
        page.GetProperty("total").GetInt64().ShouldBe(4);
        (await _local.RunAsync("records", "find", "news", "--where", "{\"nope\":1}")).Error.ShouldContain("invalid_query");

        var stats = (await _local.RunAsync("records", "stats", "news")).ShouldSucceed();
        stats.Out.ShouldContain("t_news__h000001");
        (await _local.RunAsync("records", "rm", "news", "1")).ShouldSucceed();
        (await _local.RunAsync("records", "rm", "news", "1")).ExitCode.ShouldBe(2);
    }

    [Fact]
    public async Task DaoMount_LocalFolder_LsStatMetaSetFind()
    {
        (await _local.RunAsync("init")).ShouldSucceed();
        (await _local.RunAsync("records", "define", "news", "--mapping", _local.TextFile("news.json", Mapping))).ShouldSucceed();
        (await _local.RunAsync("records", "import", "news", _local.TextFile("rows.ndjson", "{\"id\":1,\"ct\":1,\"title\":\"a\"}\n{\"id\":2,\"ct\":2,\"title\":\"b\"}\n"))).ShouldSucceed();
        (await _local.RunAsync("mount", "/news", "dao(news)")).ShouldSucceed();

        (await _local.RunAsync("ls", "/news")).ShouldSucceed().Lines.Skip(1).Select(l => l.Split(' ')[^1]).ShouldBe(["1", "2"]);
        (await _local.RunAsync("meta", "set", "/news/2", "title=bee")).ShouldSucceed();
        JsonDocument.Parse((await _local.RunAsync("--json", "records", "get", "news", "2")).ShouldSucceed().Out).RootElement.GetProperty("title").GetString().ShouldBe("bee");
        var found = JsonDocument.Parse((await _local.RunAsync("find", "--in", "/news", "--where", "{\"title\":\"bee\"}", "--json")).ShouldSucceed().Out).RootElement;
        found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("ph").GetString()).ShouldBe(["/news/2"]);
        (await _local.RunAsync("mount", "/other", "dao(nope)")).ShouldFail(2, "not_found").Error.ShouldContain("'nope'");
    }

    [Fact]
    public async Task Records_Server_SameVerbs()
    {
        await using var server = await RunningServer.StartAsync();
        var login = await server.Server.Identity.LoginAsync("admin", RunningServer.AdminPassword, "cli-test");
        using var remote = new GroveRunner();
        remote.SetEnvironment("GROVE_SERVER", server.Address.ToString());
        remote.SetEnvironment("GROVE_TOKEN", login.Token);
        (await remote.RunAsync("records", "define", "news", "--mapping", remote.TextFile("news.json", Mapping))).ShouldSucceed();
        (await remote.RunAsync("records", "import", "news", remote.TextFile("rows.ndjson", "{\"id\":1,\"ct\":1,\"title\":\"a\"}\n"))).ShouldSucceed();
        JsonDocument.Parse((await remote.RunAsync("--json", "records", "get", "news", "1")).ShouldSucceed().Out).RootElement.GetProperty("title").GetString().ShouldBe("a");
        (await server.Server.Records.GetAsync("news", [1L])).ShouldNotBeNull();
    }
}
