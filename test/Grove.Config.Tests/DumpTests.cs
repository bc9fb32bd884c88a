namespace Grove.Config.Tests;

public sealed class DumpTests : EngineTestBase
{
    private string DumpFile(ConfigKey key) => Path.Combine(Engine.DumpFolder, key.Tenant.Length == 0 ? "@default" : key.Tenant, key.Group, key.DataId);

    [Fact]
    public async Task Publish_WritesTheDumpFile_RemoveDeletesIt()
    {
        var key = Key("dumped.txt", "G", "ns");
        await PublishAsync(key, "v1");
        await EventuallyAsync(() => File.Exists(DumpFile(key)) && File.ReadAllText(DumpFile(key)) == "v1", "v1 dumped");
        await PublishAsync(key, "v2");
        await EventuallyAsync(() => File.ReadAllText(DumpFile(key)) == "v2", "v2 dumped");

        await Engine.RemoveAsync(key);
        await EventuallyAsync(() => !File.Exists(DumpFile(key)), "the dump file removed");
        Directory.Exists(Path.Combine(DataPath, "config-dump.tmp")).ShouldBeTrue();
        Directory.EnumerateFiles(Path.Combine(DataPath, "config-dump.tmp")).ShouldBeEmpty("every temporary file was renamed into place");
    }

    [Fact]
    public async Task DumpAll_RestoresTamperedFilesAndRemovesStrayOnes()
    {
        var key = Key("restore-me");
        await PublishAsync(key, "truth");
        await EventuallyAsync(() => File.Exists(DumpFile(key)), "dumped");
        await File.WriteAllTextAsync(DumpFile(key), "tampered");
        var strayMeta = Path.Combine(DataPath, "config-dump.meta", "@default", "G", "stray.json");
        await File.WriteAllTextAsync(strayMeta, "{\"tenant\":\"\",\"group\":\"G\",\"dataId\":\"stray\",\"main\":{\"rev\":1,\"type\":\"text\",\"tags\":[]}}");
        await File.WriteAllTextAsync(Path.Combine(Engine.DumpFolder, "@default", "G", "stray"), "old");

        (await Engine.DumpAllAsync()).ShouldBe(1);

        (await File.ReadAllTextAsync(DumpFile(key))).ShouldBe("truth");
        File.Exists(strayMeta).ShouldBeFalse();
        File.Exists(Path.Combine(Engine.DumpFolder, "@default", "G", "stray")).ShouldBeFalse();
    }

    [Fact]
    public async Task DumpTimer_RewritesEveryInterval()
    {
        await Engine.DisposeAsync();
        Engine = await OpenEngineAsync(Options with { RunTimers = true, DumpInterval = TimeSpan.FromSeconds(600) });
        var key = Key("timed");
        await PublishAsync(key, "truth");
        await EventuallyAsync(() => File.Exists(DumpFile(key)), "dumped");
        await File.WriteAllTextAsync(DumpFile(key), "tampered");

        Clock.Advance(TimeSpan.FromSeconds(600));

        await EventuallyAsync(() => File.ReadAllText(DumpFile(key)) == "truth", "the periodic dump rewrote the file");
    }

    [Fact]
    public async Task StoreDownAtStart_ServesTheDumpRefusesWritesThenRecovers()
    {
        var key = Key("survivor.json");
        var beta = new ConfigClient("10.0.0.7");
        await PublishAsync(key, "{\"ok\":true}");
        await PublishAsync(Key("cipher-pw"), "pw-value-1");
        await Engine.PublishBetaAsync(new BetaRequest { Key = key, Content = "{\"ok\":\"beta\"}", Ips = ["10.0.0.7"] });
        var md5 = Engine.GetMd5(key);
        await Engine.DisposeAsync();

        var store = new FlakyStore(async ct => await Internal.TreeConfigStore.OpenAsync(Tree, Clock, null, new Internal.SecretBox(MasterKey).KeyId, ct)) { Down = true };
        var (engine, _) = await OpenFlakyAsync(store);

        engine.IsStoreAvailable.ShouldBeFalse();
        engine.UnavailableReason.ShouldNotBeNull().ShouldContain("connection refused");
        engine.GetMd5(key).ShouldBe(md5);
        engine.Get(key)!.Type.ShouldBe(ConfigType.Json);
        engine.Get(key, beta)!.Content.ShouldBe("{\"ok\":\"beta\"}");
        engine.Get(Key("cipher-pw"))!.Content.ShouldBe("pw-value-1");
        var e = await Fails(ConfigErrorCode.Unavailable, () => PublishAsync(key, "{}", on: engine));
        e.RetryAfter.ShouldNotBeNull();
        await Fails(ConfigErrorCode.Unavailable, () => engine.RemoveAsync(key));
        await Fails(ConfigErrorCode.Unavailable, () => engine.ListHistoryAsync(key));
        (await engine.TryRecoverAsync()).ShouldBeFalse();

        store.Down = false;
        (await engine.TryRecoverAsync()).ShouldBeTrue();

        engine.IsStoreAvailable.ShouldBeTrue();
        (await PublishAsync(key, "{\"ok\":2}", on: engine)).Item.Content.ShouldBe("{\"ok\":2}");
    }

    [Fact]
    public async Task StoreLostWhileRunning_RefusesWritesKeepsServing_RecoveryTimerBringsItBack()
    {
        await Engine.DisposeAsync();
        var (engine, store) = await OpenFlakyAsync(options: Options with { RunTimers = true, RecoveryInterval = TimeSpan.FromSeconds(5) });
        var key = Key("live");
        await PublishAsync(key, "v1", on: engine);

        store.Down = true;
        await Fails(ConfigErrorCode.Unavailable, () => PublishAsync(key, "v2", on: engine));
        engine.IsStoreAvailable.ShouldBeFalse();
        engine.Get(key)!.Content.ShouldBe("v1");
        engine.FindChanged([new ConfigProbe(key, "stale")]).ShouldBe([key]);

        store.Down = false;
        Clock.Advance(TimeSpan.FromSeconds(5));
        await EventuallyAsync(() => engine.IsStoreAvailable, "the recovery timer found the store again");
        (await PublishAsync(key, "v2", on: engine)).Item.Content.ShouldBe("v2");
    }

    [Fact]
    public async Task Recovery_PicksUpChangesMadeWhileAway()
    {
        await Engine.DisposeAsync();
        var (a, store) = await OpenFlakyAsync();
        await PublishAsync(Key("k"), "old", on: a);
        store.Down = true;
        await Fails(ConfigErrorCode.Unavailable, () => PublishAsync(Key("k"), "x", on: a));

        // Meanwhile the store changed behind this engine's back (another node, an operator's restore...).
        await using (var other = await ConfigEngine.OpenAsync(Tree, Options with { DataPath = Folder.Combine("other") }))
        {
            await PublishAsync(Key("k"), "new", on: other);
            await PublishAsync(Key("added"), "yes", on: other);
        }

        store.Down = false;
        (await a.TryRecoverAsync()).ShouldBeTrue();
        a.Get(Key("k"))!.Content.ShouldBe("new");
        a.Get(Key("added"))!.Content.ShouldBe("yes");
    }
}
