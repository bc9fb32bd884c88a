using System.Diagnostics;
using System.Net.Http.Headers;
using Grove.Config;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grove.Client.Configuration.Tests;

/// <summary>The configuration provider against a real server: reload through IOptionsMonitor, snapshots, secrets.</summary>
public sealed class ProviderTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private RunningServer _server = null!;
    private string _token = null!;

    public sealed class ShopOptions
    {
        public string? Name { get; set; }

        public int Port { get; set; }

        public List<string> Hosts { get; set; } = [];
    }

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        var admin = await _server.AdminAsync();
        _token = admin.DefaultRequestHeaders.Authorization!.Parameter!;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    private Task PublishAsync(string dataId, string content, string group = "SHOP", bool? secret = null) =>
        _server.Server.ConfigCenter.PublishAsync(new PublishRequest { Key = ConfigKey.Create(dataId, group), Content = content, Secret = secret });

    private ConfigurationRoot Build(Action<GroveConfigurationOptions> configure, Uri? server = null, LogCapture? log = null)
    {
        return (ConfigurationRoot)new ConfigurationBuilder().AddGroveConfig(o =>
        {
            o.Server = server ?? _server.Address;
            o.ApiKey = _token;
            o.SnapshotFolder = _folder.Combine("snapshot");
            o.StartupTimeout = TimeSpan.FromSeconds(3);
            o.LoggerFactory = log;
            configure(o);
        }).Build();
    }

    [Fact]
    public async Task OptionsMonitor_SeesAPublish()
    {
        await PublishAsync("shop.yaml", "Name: first\nPort: 80\nHosts: [a, b]\n");
        using var configuration = Build(o => o.Add("SHOP", "shop.yaml", section: "Shop"));
        using var services = new ServiceCollection().AddOptions().Configure<ShopOptions>(configuration.GetSection("Shop")).BuildServiceProvider();
        var monitor = services.GetRequiredService<IOptionsMonitor<ShopOptions>>();
        monitor.CurrentValue.Name.ShouldBe("first");
        monitor.CurrentValue.Hosts.ShouldBe(["a", "b"]);

        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = monitor.OnChange(o =>
        {
            if (o.Name == "second")
            {
                changed.TrySetResult();
            }
        });
        var sw = Stopwatch.StartNew();
        await PublishAsync("shop.yaml", "Name: second\nPort: 8080\n");
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        monitor.CurrentValue.Port.ShouldBe(8080);
        configuration["Shop:Port"].ShouldBe("8080");
        sw.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task SeveralConfigs_OfEachType_MergeInOrder()
    {
        await PublishAsync("base.json", """{"Shop":{"Name":"base","Port":1}}""");
        await PublishAsync("override.properties", "Shop.Port=2\n");
        await PublishAsync("extra.xml", "<c><Shop><Tag>x</Tag></Shop></c>");
        using var configuration = Build(o => o.Add("SHOP", "base.json").Add("SHOP", "override.properties").Add("SHOP", "extra.xml"));
        configuration["Shop:Name"].ShouldBe("base");
        configuration["Shop:Port"].ShouldBe("2", "a later config overrides an earlier one");
        configuration["Shop:Tag"].ShouldBe("x");
    }

    [Fact]
    public async Task ServerDown_StartsFromTheSnapshot_AndSaysWhy()
    {
        await PublishAsync("shop.yaml", "Name: kept\n");
        using (var first = Build(o => o.Add("SHOP", "shop.yaml", section: "Shop")))
        {
            first["Shop:Name"].ShouldBe("kept");
        }

        var down = new Uri("http://127.0.0.1:1/");
        var log = new LogCapture();
        using var offline = Build(o =>
        {
            o.Add("SHOP", "shop.yaml", section: "Shop");
            o.Watch = false;
        }, down, log);

        offline["Shop:Name"].ShouldBe("kept");
        log.Messages.ShouldContain(m => m.Level == LogLevel.Warning && m.Message.Contains("cannot load configs from", StringComparison.Ordinal) && m.Message.Contains("snapshot", StringComparison.Ordinal));
    }

    [Fact]
    public void ServerDown_NoSnapshot_RequiredFailsClearly_OptionalIsEmpty()
    {
        var down = new Uri("http://127.0.0.1:1/");
        var e = Should.Throw<InvalidOperationException>(() => Build(o => o.Add("SHOP", "never.yaml"), down));
        e.Message.ShouldContain("cannot be reached");
        e.Message.ShouldContain("no snapshot");

        using var optional = Build(o => o.Add("SHOP", "never.yaml", optional: true), down);
        optional.AsEnumerable().ShouldBeEmpty();
    }

    [Fact]
    public async Task MissingConfig_FailsTheStart_UnlessOptional()
    {
        Should.Throw<InvalidOperationException>(() => Build(o => o.Add("SHOP", "absent.json"))).Message.ShouldContain("does not exist");
        await PublishAsync("present.json", """{"A":"1"}""");
        using var configuration = Build(o => o.Add("SHOP", "absent.json", optional: true).Add("SHOP", "present.json"));
        configuration["A"].ShouldBe("1");
    }

    [Fact]
    public async Task Secrets_AreNotInTheSnapshot_UnlessSealedWithTheSnapshotKey()
    {
        await PublishAsync("cipher-db.properties", "Db.Password=hunter2\n");
        using (var plain = Build(o => o.Add("SHOP", "cipher-db.properties")))
        {
            plain["Db:Password"].ShouldBe("hunter2");
        }

        var snapshot = _folder.Combine("snapshot");
        (Directory.Exists(snapshot) ? Directory.GetFiles(snapshot, "*", SearchOption.AllDirectories) : []).ShouldBeEmpty("a secret is not written without a key");

        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        using (var sealedRun = Build(o =>
        {
            o.Add("SHOP", "cipher-db.properties");
            o.SnapshotKey = key;
        }))
        {
            sealedRun["Db:Password"].ShouldBe("hunter2");
        }

        var file = Directory.GetFiles(_folder.Combine("snapshot"), "*.json", SearchOption.AllDirectories).Single();
        File.ReadAllText(file).ShouldNotContain("hunter2");

        using var offline = Build(o =>
        {
            o.Add("SHOP", "cipher-db.properties");
            o.SnapshotKey = key;
            o.Watch = false;
        }, new Uri("http://127.0.0.1:1/"));
        offline["Db:Password"].ShouldBe("hunter2");
    }

    [Fact]
    public async Task StartedFromTheSnapshot_CatchesUpWhenTheServerIsBack()
    {
        // Note that the server comes back on a new port behind a relay that keeps the address: a restart on the port it
        // had would race every other process on the machine for that port while it is free.
        await using var relay = new PortRelay(_server.Address.Port);
        await PublishAsync("late.json", """{"V":"1"}""");
        using (Build(o => o.Add("SHOP", "late.json"), relay.Address))
        {
        }

        relay.Target = null;
        await _server.Server.StopAsync();
        using var configuration = Build(o => o.Add("SHOP", "late.json"), relay.Address);
        configuration["V"].ShouldBe("1", "the server is down: the snapshot");

        var restarted = await RunningServer.StartAsync(o => o with { Data = _server.Options.Data });
        await using (restarted)
        {
            relay.Target = restarted.Address.Port;
            await restarted.Server.ConfigCenter.PublishAsync(new PublishRequest { Key = ConfigKey.Create("late.json", "SHOP"), Content = """{"V":"2"}""" });
            await Poll.UntilAsync(() => configuration["V"] == "2", "the watcher reconnects and catches up", seconds: 30);
        }
    }
}
