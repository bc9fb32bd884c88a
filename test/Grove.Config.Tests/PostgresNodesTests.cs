using Grove.Config.Internal;
using Grove.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Grove.Config.Tests;

/// <summary>
/// Two nodes (two trees, two engines) on one PostgreSQL database: a change made through one engine reaches the other's
/// memory and waiters, reconciliation repairs a node that missed notices, and an outage refuses writes until the
/// database is back.
/// </summary>
public sealed class PostgresNodesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly byte[] MasterKey = [.. Enumerable.Range(7, 32).Select(i => (byte)i)];
    private readonly TempFolder _folder = new();
    private readonly List<IAsyncDisposable> _open = [];
    private string? _store;

    public async Task InitializeAsync() => _store = await PostgresServer.DatabaseOrSkipAsync(output);

    public async Task DisposeAsync()
    {
        foreach (var o in Enumerable.Reverse(_open))
        {
            await o.DisposeAsync();
        }

        _folder.Dispose();
    }

    private ConfigOptions Options(string node, TimeProvider? time = null) =>
        new() { DataPath = _folder.Combine(node), MasterKey = MasterKey, RunTimers = false, Time = time ?? TimeProvider.System };

    private async Task<TreeService> TreeAsync(string node, string? store = null)
    {
        var tree = await TreeService.OpenAsync(new TreeOptions { Store = store ?? _store, DataPath = _folder.Combine(node), LockDataFolder = false });
        _open.Add(tree);
        return tree;
    }

    private async Task<ConfigEngine> NodeAsync(string node)
    {
        var engine = await ConfigEngine.OpenAsync(await TreeAsync(node), Options(node));
        _open.Add(engine);
        return engine;
    }

    private static ConfigKey Key(string dataId) => ConfigKey.Create(dataId, "G");

    private static Task<PublishResult> PublishAsync(ConfigEngine on, ConfigKey key, string content) =>
        on.PublishAsync(new PublishRequest { Key = key, Content = content });

    private static async Task<TimeSpan> EventuallyAsync(Func<bool> condition, string what)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"not within 20 s: {what}");
            }

            await Task.Delay(2);
        }

        return sw.Elapsed;
    }

    [Fact]
    public async Task Publish_OnOneNode_ReachesTheOtherNodesMemoryAndWaiters()
    {
        if (_store is null) return;
        var a = await NodeAsync("a");
        var b = await NodeAsync("b");
        var key = Key("shared.json");
        await PublishAsync(a, key, "{\"v\":1}");
        await EventuallyAsync(() => b.GetMd5(key) is not null, "b serves the new config");

        var waiting = b.WaitForChangesAsync([new ConfigProbe(key, b.GetMd5(key))], TimeSpan.FromSeconds(30), new ConfigClient("10.0.0.1"));
        var v2 = await PublishAsync(a, key, "{\"v\":2}");
        (await waiting.WaitAsync(TimeSpan.FromSeconds(20))).ShouldBe([key]);
        var seen = b.Get(key).ShouldNotBeNull();
        (seen.Content, seen.Md5, seen.Revision).ShouldBe((v2.Item.Content, v2.Item.Md5, v2.Item.Revision));

        await a.PublishBetaAsync(new BetaRequest { Key = key, Content = "{\"v\":\"beta\"}", Ips = ["10.0.0.7"] });
        await EventuallyAsync(() => b.Get(key, new ConfigClient("10.0.0.7"))?.IsBeta == true, "b serves the beta to its client");
        await PublishAsync(a, Key("cipher-pw"), "pw-1");
        await EventuallyAsync(() => b.Get(Key("cipher-pw"))?.Content == "pw-1", "b opens the secret with the shared master key");

        await a.RemoveAsync(key);
        var lag = await EventuallyAsync(() => b.Get(key) is null && b.GetBeta(key) is null, "b forgets the removed config");
        output.WriteLine($"removal visible on b after {lag.TotalMilliseconds:0.0} ms");
        await EventuallyAsync(() => !File.Exists(Path.Combine(b.DumpFolder, "@default", "G", "shared.json")), "b's dump follows");
    }

    [Fact]
    public async Task ConcurrentPublishes_OnBothNodes_AllCommitWithDistinctRevisionsAndConverge()
    {
        if (_store is null) return;
        var a = await NodeAsync("a");
        var b = await NodeAsync("b");
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            PublishAsync(i % 2 == 0 ? a : b, Key($"k{i % 5}"), $"v{i}")));

        results.Select(r => r.Item.Revision).Distinct().Count().ShouldBe(40);
        results.Max(r => r.Item.Revision).ShouldBe(40);
        foreach (var i in Enumerable.Range(0, 5))
        {
            var key = Key($"k{i}");
            await EventuallyAsync(() => a.GetMd5(key) == b.GetMd5(key) && a.Get(key)!.Revision == b.Get(key)?.Revision, $"{key} converges");
        }

        (await a.ListHistoryAsync(Key("k0"))).Total.ShouldBe(8);
    }

    [Fact]
    public async Task SecretsAcrossNodes_NodeWithItsOwnKey_RefusedAtStartAndSharedKeyReadsSecrets()
    {
        if (_store is null) return;
        var a = await NodeAsync("a");
        var secret = await a.PublishAsync(new PublishRequest { Key = Key("db-password"), Content = "s3cr3t", Secret = true });

        // Node b without the shared key makes its own, as every node did before: it must refuse, not serve 404s.
        var own = await TreeAsync("b-own");
        var e = await Should.ThrowAsync<ConfigException>(() => ConfigEngine.OpenAsync(own, Options("b-own") with { MasterKey = null }));
        e.Code.ShouldBe(ConfigErrorCode.MasterKeyMismatch);

        var keyFile = _folder.Combine("shared.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(MasterKey));
        var b = await ConfigEngine.OpenAsync(await TreeAsync("b"), Options("b") with { MasterKey = null, MasterKeyFile = keyFile });
        _open.Add(b);
        b.Get(secret.Item.Key)!.Content.ShouldBe("s3cr3t");
    }

    [Fact]
    public async Task NodeThatMissedNotices_IsRepairedByReconciliation()
    {
        if (_store is null) return;
        var a = await NodeAsync("a");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var treeB = await TreeAsync("b");
        var deaf = new FlakyStore(async ct => await TreeConfigStore.OpenAsync(treeB, TimeProvider.System, null, new SecretBox(MasterKey).KeyId, ct)) { Deaf = true };
        var b = await ConfigEngine.OpenAsync(Options("b", clock) with { RunTimers = true }, _folder.Combine("b"), deaf.ConnectAsync, default);
        _open.Add(b);

        await PublishAsync(a, Key("missed"), "v1");
        await a.RemoveAsync(Key("missed"));
        await PublishAsync(a, Key("kept"), "v2");
        b.Get(Key("kept")).ShouldBeNull("b heard nothing");

        clock.Advance(TimeSpan.FromMinutes(5));

        await EventuallyAsync(() => b.Get(Key("kept"))?.Content == "v2", "the periodic reconciliation found the change");
        b.Get(Key("missed")).ShouldBeNull();
        b.Revision.ShouldBe(a.Revision);
    }

    [Fact]
    public async Task DatabaseOutage_RefusesWritesServesReads_ThenRecovers()
    {
        if (_store is null) return;
        var builder = new NpgsqlConnectionStringBuilder(_store);
        await using var gate = new PortRelay(builder.Port);
        var viaGate = new NpgsqlConnectionStringBuilder(_store) { Port = gate.Port, Timeout = 3, CommandTimeout = 5, Pooling = false }.ConnectionString;
        var engine = await ConfigEngine.OpenAsync(await TreeAsync("gated", viaGate), Options("gated"));
        _open.Add(engine);
        var key = Key("through-gate");
        await PublishAsync(engine, key, "before");

        gate.Target = null;
        gate.Cut();
        await Should.ThrowAsync<ConfigException>(() => PublishAsync(engine, key, "during"));
        engine.IsStoreAvailable.ShouldBeFalse();
        engine.Get(key)!.Content.ShouldBe("before");
        (await Should.ThrowAsync<ConfigException>(() => PublishAsync(engine, key, "during"))).Code.ShouldBe(ConfigErrorCode.Unavailable);
        (await engine.TryRecoverAsync()).ShouldBeFalse();

        gate.Target = builder.Port;
        (await engine.TryRecoverAsync()).ShouldBeTrue();
        (await PublishAsync(engine, key, "after")).Item.Content.ShouldBe("after");
    }

    [Fact]
    public async Task DatabaseDownAtStart_StartsFromTheDump_AndConnectsWhenItIsBack()
    {
        if (_store is null) return;
        var first = await NodeAsync("n");
        await PublishAsync(first, Key("dumped"), "from-dump");
        first.FlushDump(); // the dump is written behind the change; this test starts from it at once
        var builder = new NpgsqlConnectionStringBuilder(_store);
        await using var gate = new PortRelay(builder.Port);
        var viaGate = new NpgsqlConnectionStringBuilder(_store) { Port = gate.Port, Timeout = 3, CommandTimeout = 5, Pooling = false }.ConnectionString;
        gate.Target = null;
        gate.Cut();

        var engine = await ConfigEngine.OpenAsync(ct => TreeAsync("n", viaGate), Options("n"));
        _open.Add(engine);

        engine.IsStoreAvailable.ShouldBeFalse();
        engine.Get(Key("dumped"))!.Content.ShouldBe("from-dump");
        await Should.ThrowAsync<ConfigException>(() => PublishAsync(engine, Key("dumped"), "x"));

        await PublishAsync(first, Key("dumped"), "newer");
        gate.Target = builder.Port;
        (await engine.TryRecoverAsync()).ShouldBeTrue();
        engine.Get(Key("dumped"))!.Content.ShouldBe("newer");
    }
}
