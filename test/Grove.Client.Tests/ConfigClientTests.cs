namespace Grove.Client.Tests;

/// <summary>GroveConfigClient against a real server: get, publish, remove, list, history, transfer, and watching.</summary>
public sealed class ConfigClientTests : ClientTestBase
{
    private static readonly GroveConfigKey App = new("SHOP", "shop.yaml");

    private GroveConfigClient Configs() => new(Admin);

    [Fact]
    public async Task Publish_Get_List_Remove()
    {
        using var configs = Configs();
        var published = await configs.PublishAsync(App, "name: grove\n", new GroveConfigPublishOptions { Description = "shop", Tags = ["team-a"] });
        published.Type.ShouldBe("yaml");
        published.Revision.ShouldBeGreaterThan(0);

        var got = (await configs.GetAsync(App)).ShouldNotBeNull();
        got.Content.ShouldBe("name: grove\n");
        got.Md5.ShouldBe(published.Md5);
        got.Tags.ShouldBe(["team-a"]);
        (await configs.ListAsync(new GroveConfigQuery { Tags = ["team-a"] })).Items.Single().Key.ShouldBe(App);

        (await configs.RemoveAsync(App)).ShouldBeTrue();
        (await configs.GetAsync(App)).ShouldBeNull();
        (await configs.RemoveAsync(App)).ShouldBeFalse();
    }

    [Fact]
    public async Task Publish_BadContent_ThrowsInvalidFormat_AndStaleMd5ThrowsConflict()
    {
        using var configs = Configs();
        var e = await Should.ThrowAsync<GroveApiException>(() => configs.PublishAsync(new GroveConfigKey("G", "bad.json"), "{ nope"));
        e.Code.ShouldBe("invalid_format");
        e.Status.ShouldBe(400);

        await configs.PublishAsync(App, "a: 1");
        var conflict = await Should.ThrowAsync<GroveApiException>(() => configs.PublishAsync(App, "a: 2", new GroveConfigPublishOptions { IfMd5 = new string('0', 32) }));
        conflict.IsConflict.ShouldBeTrue();
    }

    [Fact]
    public async Task History_Diff_Rollback()
    {
        using var configs = Configs();
        await configs.PublishAsync(App, "v: 1\n");
        await configs.PublishAsync(App, "v: 2\n");
        var history = await configs.ListHistoryAsync(App);
        history.Count.ShouldBe(2);
        (await configs.GetHistoryAsync(App, history[1].Id)).Content.ShouldBe("v: 1\n");
        (await configs.DiffAsync(App, history[1].Id)).ShouldContain("+v: 2");
        (await configs.RollbackAsync(App, history[1].Id)).Md5.ShouldBe((await configs.GetHistoryAsync(App, history[1].Id)).Md5);
        (await configs.GetAsync(App))!.Content.ShouldBe("v: 1\n");
    }

    [Fact]
    public async Task Export_ThenImport_IntoAnotherNamespace()
    {
        using var configs = Configs();
        await configs.PublishAsync(App, "a: 1");
        using var zip = new MemoryStream();
        await configs.ExportAsync(zip);
        zip.Position = 0;
        var result = await configs.ImportAsync(zip, "staging");
        result.Created.ShouldBe([App with { Tenant = "staging" }]);
        (await configs.GetAsync(App with { Tenant = "staging" }))!.Content.ShouldBe("a: 1");
    }

    [Fact]
    public async Task Watch_YieldsAChangeAfterAPublish()
    {
        using var configs = Configs();
        var first = await configs.PublishAsync(App, "v: 1");
        var held = first.Md5;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new TaskCompletionSource<GroveConfigChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = Task.Run(async () =>
        {
            await foreach (var change in configs.WatchAsync([App], _ => held, ct: stop.Token))
            {
                seen.TrySetResult(change);
                break;
            }
        });

        // Publish until the watcher has seen one (the stream may open after the first publish; its held MD5 covers that).
        var second = await configs.PublishAsync(App, "v: 2");
        var change = await seen.Task.WaitAsync(TimeSpan.FromSeconds(20));
        change.Md5.ShouldBe(second.Md5);
        await stop.CancelAsync();
        await watching;
    }

    [Fact]
    public async Task Watch_Reconciliation_FindsADifferenceTheStreamNeverReported()
    {
        using var configs = Configs();
        var published = await configs.PublishAsync(App, "v: 1");
        var held = published.Md5;
        var options = new GroveConfigWatchOptions { ReconcileInterval = TimeSpan.FromMilliseconds(200) };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var changes = configs.WatchAsync([App], _ => held, options, stop.Token).GetAsyncEnumerator(stop.Token);

        // The caller now claims to hold other content: no change happens on the server, so only the periodic
        // MD5 comparison can notice.
        held = new string('0', 32);
        (await changes.MoveNextAsync()).ShouldBeTrue();
        changes.Current.Md5.ShouldBe(published.Md5);
        changes.Current.Revision.ShouldBeGreaterThan(0);
    }
}

/// <summary>Watching across a server restart: the stream reconnects and catches up through the MD5s it holds.</summary>
public sealed class ConfigWatchReconnectTests
{
    [Fact]
    public async Task Watch_ServerRestarts_ReconnectsAndCatchesUp()
    {
        // Note that the server comes back on the port it had (a relay in front of it failed here once in CI, unexplained;
        // this form passed every CI run before): another process taking the port while it is free would fail the start.
        var port = FreePort();
        await using var server = await RunningServer.StartAsync(o => o with { Urls = $"http://127.0.0.1:{port}" });
        using var grove = new GroveClient(server.Address);
        await grove.LoginAsync("admin", RunningServer.AdminPassword);
        using var configs = new GroveConfigClient(grove);
        var key = new GroveConfigKey("G", "r.txt");
        var held = (await configs.PublishAsync(key, "before")).Md5;
        var errors = 0;
        var options = new GroveConfigWatchOptions { RetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(500), OnError = _ => Interlocked.Increment(ref errors) };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var changes = configs.WatchAsync([key], _ => held, options, stop.Token).GetAsyncEnumerator(stop.Token);
        var next = changes.MoveNextAsync().AsTask();
        try
        {
            // Note that the stream opens on a task of its own: restart only once it is open, so it is the one dropped
            // (were it first sent after the restart, nothing would drop and nothing be reported).
            using (var admin = await server.AdminAsync())
            {
                await Poll.UntilAsync(async () => await PushStreamsAsync(admin) == 1, "the push stream is open on the server", seconds: 30);
            }

            await server.RestartAsync();
            await grove.LoginAsync("admin", RunningServer.AdminPassword);
            await server.Server.ConfigCenter.PublishAsync(new Grove.Config.PublishRequest { Key = Grove.Config.ConfigKey.Create("r.txt", "G"), Content = "after" });

            (await next.WaitAsync(TimeSpan.FromSeconds(30))).ShouldBeTrue();
            changes.Current.Md5.ShouldBe(server.Server.ConfigCenter.GetMd5(Grove.Config.ConfigKey.Create("r.txt", "G")));
            errors.ShouldBeGreaterThan(0, "the dropped stream was reported, then opened again");
        }
        finally
        {
            // Note that an async iterator refuses to be disposed while a MoveNextAsync is pending (NotSupportedException,
            // which would hide why the test failed): stop it and let it end first.
            await stop.CancelAsync();
            await Task.WhenAny(next);
            await changes.DisposeAsync();
        }
    }

    private static async Task<int> PushStreamsAsync(HttpClient admin)
    {
        using var stats = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync("/api/v1/config/stats"));
        return stats.RootElement.GetProperty("pushStreams").GetInt32();
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
