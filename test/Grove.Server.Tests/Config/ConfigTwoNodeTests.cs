using System.Net;
using Xunit.Abstractions;
using static Grove.Server.Tests.ApiAssertions;
using static Grove.Server.Tests.Config.ConfigKit;

namespace Grove.Server.Tests.Config;

/// <summary>Two server nodes on one PostgreSQL: a change made through one reaches the listeners held by the other.</summary>
public sealed class ConfigTwoNodeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private string? _store;

    public async Task InitializeAsync() => _store = await PostgresServer.DatabaseOrSkipAsync(output);

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    private Task<RunningServer> NodeAsync(string name) => StartAsync(data: _folder.Dir(name), store: _store);

    [Fact]
    public async Task PublishOnNodeA_WakesANacosLongPollAndAPushStreamOnNodeB()
    {
        if (_store is null) return;
        await using var a = await NodeAsync("a");
        await using var b = await NodeAsync("b");
        var onA = await a.AdminAsync();
        (await onA.PutAsync("/api/v1/config/items/G/shared.yaml", Json("""{"content":"v: 1"}"""))).StatusCode.ShouldBe(HttpStatusCode.Created);
        await Eventually.HoldsAsync(() => Task.FromResult(b.Held("shared.yaml", "G")?.Content == "v: 1"), "node b serves the config");

        var onB = await b.AdminAsync();
        using var sse = await onB.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/config/watch?keys=G/shared.yaml"), HttpCompletionOption.ResponseHeadersRead);
        using var events = new SseReader(await sse.Content.ReadAsStreamAsync());
        (await events.NextAsync()).Name.ShouldBe("hello");

        using var listen = new HttpRequestMessage(HttpMethod.Post, "/nacos/v1/cs/configs/listener")
        {
            Content = Form(("Listening-Configs", $"shared.yaml{Word}G{Word}{Md5("v: 1")}{Line}")),
        };
        listen.Headers.Add("Long-Pulling-Timeout", "30000");
        var poll = b.Anonymous().SendAsync(listen);
        await Eventually.HoldsAsync(() => Task.FromResult(b.Server.ConfigCenter.WaiterCount == 1), "node b holds the long poll");

        var at = System.Diagnostics.Stopwatch.StartNew();
        (await onA.PutAsync("/api/v1/config/items/G/shared.yaml", Json("""{"content":"v: 2"}"""))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await poll).TextAsync(HttpStatusCode.OK)).ShouldBe("shared.yaml%02G%01\n");
        output.WriteLine($"long poll on node b answered {at.Elapsed.TotalMilliseconds:0.0} ms after the publish on node a was sent");
        var change = await events.NextAsync();
        change.Name.ShouldBe("change");
        change.Json.GetProperty("md5").GetString().ShouldBe(Md5("v: 2"));

        (await (await b.Anonymous().GetAsync("/nacos/v1/cs/configs?dataId=shared.yaml&group=G")).TextAsync(HttpStatusCode.OK)).ShouldBe("v: 2");
    }

    [Fact]
    public async Task DiamondProbeOnNodeB_SeesARemovalMadeOnNodeA()
    {
        if (_store is null) return;
        await using var a = await NodeAsync("a");
        await using var b = await NodeAsync("b");
        await a.PutAsync("gone", "v", "G");
        await Eventually.HoldsAsync(() => Task.FromResult(b.Held("gone", "G") is not null), "node b serves the config");

        using var probe = new HttpRequestMessage(HttpMethod.Post, "/diamond-server/config.co") { Content = Form(("Probe-Modify-Request", $"gone{Word}G{Word}{Md5("v")}{Line}")) };
        probe.Headers.Add("longPullingTimeout", "30000");
        var poll = b.Anonymous().SendAsync(probe);
        await Eventually.HoldsAsync(() => Task.FromResult(b.Server.ConfigCenter.WaiterCount == 1), "node b holds the probe");
        (await a.Server.ConfigCenter.RemoveAsync(Grove.Config.ConfigKey.Create("gone", "G"))).ShouldBeTrue();
        (await (await poll).TextAsync(HttpStatusCode.OK)).ShouldBe("gone%02G%01");
        (await b.Anonymous().GetAsync("/diamond-server/config.co?dataId=gone&group=G")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
