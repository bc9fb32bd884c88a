namespace Grove.Config.Tests;

public sealed class BetaTests : EngineTestBase
{
    private static readonly ConfigClient Canary = new("10.0.0.7");
    private static readonly ConfigClient Labelled = new("10.0.0.8", ["zone=b"]);
    private static readonly ConfigClient Other = new("10.0.0.9", ["zone=a"]);

    [Fact]
    public async Task Beta_IsServedOnlyToListedIpsAndLabels()
    {
        var key = Key("feature.properties");
        await PublishAsync(key, "flag=off");

        var beta = await Engine.PublishBetaAsync(new BetaRequest { Key = key, Content = "flag=on", Ips = ["10.0.0.7"], Labels = ["zone=b"], Actor = Admin });

        beta.Md5.ShouldBe(Md5("flag=on"));
        Engine.Get(key, Canary)!.Content.ShouldBe("flag=on");
        Engine.Get(key, Canary)!.IsBeta.ShouldBeTrue();
        Engine.GetMd5(key, Labelled).ShouldBe(Md5("flag=on"));
        Engine.Get(key, Other)!.Content.ShouldBe("flag=off");
        Engine.Get(key)!.Content.ShouldBe("flag=off");
        Engine.GetBeta(key)!.Ips.ShouldBe(["10.0.0.7"]);
    }

    [Fact]
    public async Task Beta_WakesOnlyTheClientsItConcerns()
    {
        var key = Key("wake");
        await PublishAsync(key, "v1");
        var probe = new[] { new ConfigProbe(key, Md5("v1")) };
        var canary = Engine.WaitForChangesAsync(probe, TimeSpan.FromMinutes(1), Canary);
        var other = Engine.WaitForChangesAsync(probe, TimeSpan.FromMinutes(1), Other);
        await EventuallyAsync(() => Engine.WaiterCount == 2, "both waiting");

        await Engine.PublishBetaAsync(new BetaRequest { Key = key, Content = "v2-beta", Ips = ["10.0.0.7"] });

        (await canary.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe([key]);
        other.IsCompleted.ShouldBeFalse("the beta does not change what this client sees");
        Clock.Advance(TimeSpan.FromMinutes(1));
        (await other.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Promote_MakesTheBetaTheReleaseForEveryone()
    {
        var key = Key("promote.json");
        await PublishAsync(key, "{\"v\":1}");
        await Engine.PublishBetaAsync(new BetaRequest { Key = key, Content = "{\"v\":2}", Ips = ["10.0.0.7"] });

        var result = await Engine.PromoteBetaAsync(key, Admin);

        result.Item.Content.ShouldBe("{\"v\":2}");
        Engine.Get(key, Other)!.Content.ShouldBe("{\"v\":2}");
        Engine.Get(key, Canary)!.IsBeta.ShouldBeFalse();
        Engine.GetBeta(key).ShouldBeNull();
        (await Engine.ListHistoryAsync(key)).Items.Select(h => h.Op).ShouldBe([ConfigOp.BetaPromote, ConfigOp.BetaPublish, ConfigOp.Publish]);
        await Fails(ConfigErrorCode.NotFound, () => Engine.PromoteBetaAsync(key));
    }

    [Fact]
    public async Task Cancel_ReturnsTheBetaClientsToTheRelease()
    {
        var key = Key("cancel");
        await PublishAsync(key, "stable");
        await Engine.PublishBetaAsync(new BetaRequest { Key = key, Content = "risky", Labels = ["zone=b"] });

        (await Engine.CancelBetaAsync(key)).ShouldBeTrue();

        Engine.Get(key, Labelled)!.Content.ShouldBe("stable");
        (await Engine.CancelBetaAsync(key)).ShouldBeFalse();
    }

    [Fact]
    public async Task Beta_WithoutTargets_OrBrokenFormat_IsRefused()
    {
        var key = Key("b.json");
        await PublishAsync(key, "{}");
        await Fails(ConfigErrorCode.InvalidArgument, () => Engine.PublishBetaAsync(new BetaRequest { Key = key, Content = "{}" }));
        var e = await Fails(ConfigErrorCode.InvalidFormat, () => Engine.PublishBetaAsync(new BetaRequest { Key = key, Content = "{", Ips = ["1.2.3.4"] }));
        e.Line.ShouldBe(1);
        Engine.GetBeta(key).ShouldBeNull();
    }

    [Fact]
    public async Task Beta_SurvivesReopen_AndRemoveTakesItAway()
    {
        var key = Key("persist");
        await PublishAsync(key, "r");
        await Engine.PublishBetaAsync(new BetaRequest { Key = key, Content = "b", Ips = ["10.0.0.7"] });
        await Engine.DisposeAsync();
        Engine = await OpenEngineAsync();

        Engine.Get(key, Canary)!.Content.ShouldBe("b");
        await Engine.RemoveAsync(key);
        Engine.Get(key, Canary).ShouldBeNull();
        Engine.GetBeta(key).ShouldBeNull();
    }
}
