using System.Net;
using System.Net.Http.Headers;
using Xunit.Abstractions;
using static Grove.Server.Tests.ApiAssertions;
using static Grove.Server.Tests.Config.ConfigKit;

namespace Grove.Server.Tests.Outage;

/// <summary>
/// A node and its PostgreSQL store going down and coming back, on a private cluster of the test's own (the shared
/// one serves other tests and must not stop).
/// </summary>
public sealed class StoreOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private PostgresCluster? _cluster;

    public Task InitializeAsync()
    {
        if (PostgresCluster.FindBinDirectory() is { } bin)
        {
            _cluster = PostgresCluster.Start(bin, pausable: true);
        }
        else if (PostgresServer.IsCi)
        {
            throw new InvalidOperationException("PostgreSQL is not installed; CI installs it (.ci/run)");
        }
        else
        {
            output.WriteLine("PostgreSQL is not installed here: the outage tests return at once");
        }

        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _cluster?.Stop();
        _folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task NodeCannotStartWhilePostgresIsDown_StartsServesConfigsFromTheDumpRefusesWritesAndAttachesLater()
    {
        if (_cluster is null) return;
        var data = _folder.Dir("node");
        var store = _cluster.ConnectionString;
        await using (var first = await RunningServer.StartAsync(data: data, store: store))
        {
            var admin = await first.AdminAsync();
            (await admin.PutAsync("/api/v1/config/items/SHOP/shop.yaml", Json("""{"content":"price: 10"}"""))).StatusCode.ShouldBe(HttpStatusCode.Created);
            first.Server.ConfigCenter.DumpFolder.ShouldNotBeNullOrEmpty();
        }

        _cluster.Pause();
        await using var node = await RunningServer.StartAsync(data: data, store: store);

        var anonymous = node.Anonymous();
        (await (await anonymous.GetAsync("/nacos/v1/cs/configs?dataId=shop.yaml&group=SHOP")).TextAsync(HttpStatusCode.OK)).ShouldBe("price: 10");
        var ready = await anonymous.GetAsync("/readyz");
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync()).ShouldContain("tree: not ready");
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/files/x.txt") { Content = new StringContent("x") };
        put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "any-token");
        var refused = await anonymous.SendAsync(put);
        await refused.ProblemAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
        refused.Headers.RetryAfter.ShouldNotBeNull();
        var nacosWrite = await anonymous.PostAsync("/nacos/v1/cs/configs", Form(("dataId", "shop.yaml"), ("group", "SHOP"), ("content", "price: 11"), ("username", "admin"), ("password", RunningServer.AdminPassword)));
        nacosWrite.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);

        _cluster.Resume();
        await Eventually.HoldsAsync(async () => (await anonymous.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "the node attaches to the store", seconds: 30);
        var signedIn = await node.AdminAsync();
        (await signedIn.PutAsync("/api/v1/files/x.txt", new StringContent("x"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        await Eventually.HoldsAsync(() => Task.FromResult(node.Server.ConfigCenter.IsStoreAvailable), "the config center accepts writes again", seconds: 30);
        (await (await anonymous.PostAsync("/nacos/v1/cs/configs", Form(("dataId", "shop.yaml"), ("group", "SHOP"), ("content", "price: 11"), ("username", "admin"), ("password", RunningServer.AdminPassword)))).TextAsync(HttpStatusCode.OK)).ShouldBe("true");
    }
}
