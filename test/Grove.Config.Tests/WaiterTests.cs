namespace Grove.Config.Tests;

public sealed class WaiterTests : EngineTestBase
{
    private static readonly ConfigClient Client = new("10.1.1.1");

    [Fact]
    public async Task Wait_WithStaleMd5_ReturnsAtOnce()
    {
        var key = Key("w");
        await PublishAsync(key, "v1");

        var changed = await Engine.WaitForChangesAsync([new ConfigProbe(key, "0123"), new ConfigProbe(Key("absent"), "")], TimeSpan.FromMinutes(1), Client);

        changed.ShouldBe([key], "a key the client does not have and that does not exist is unchanged");
        Engine.WaiterCount.ShouldBe(0);
    }

    [Fact]
    public async Task Wait_IsWokenByAPublish_WithTheChangedKey()
    {
        var key = Key("w");
        await PublishAsync(key, "v1");
        var waiting = Engine.WaitForChangesAsync([new ConfigProbe(Key("other"), ""), new ConfigProbe(key, Md5("v1"))], TimeSpan.FromMinutes(1), Client);
        await EventuallyAsync(() => Engine.WaiterCount == 1, "the long poll is held");
        waiting.IsCompleted.ShouldBeFalse();

        await PublishAsync(key, "v2");

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe([key]);
        await EventuallyAsync(() => Engine.WaiterCount == 0, "the slot is given back");
    }

    [Fact]
    public async Task Wait_ForANewConfig_IsWokenWhenItIsCreatedAndWhenRemoved()
    {
        var key = Key("later");
        var created = Engine.WaitForChangesAsync([new ConfigProbe(key, null)], TimeSpan.FromMinutes(1), Client);
        await EventuallyAsync(() => Engine.WaiterCount == 1, "held");
        await PublishAsync(key, "here");
        (await created.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe([key]);

        var removed = Engine.WaitForChangesAsync([new ConfigProbe(key, Md5("here"))], TimeSpan.FromMinutes(1), Client);
        await EventuallyAsync(() => Engine.WaiterCount == 1, "held");
        await Engine.RemoveAsync(key);
        (await removed.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe([key]);
    }

    [Fact]
    public async Task StopHoldingPolls_AnswersHeldPollsAndEveryLaterOneAtOnce()
    {
        var key = Key("w");
        await PublishAsync(key, "v1");
        var held = Engine.WaitForChangesAsync([new ConfigProbe(key, Md5("v1"))], TimeSpan.FromMinutes(10), Client);
        await EventuallyAsync(() => Engine.WaiterCount == 1, "the long poll is held");

        Engine.StopHoldingPolls();

        (await held.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeEmpty("nothing changed: the client polls again elsewhere");

        // A poll that comes (or was still registering) after the stop is not held for its ten minutes.
        var later = Engine.WaitForChangesAsync([new ConfigProbe(key, Md5("v1"))], TimeSpan.FromMinutes(10), Client);
        (await later.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeEmpty();
        await EventuallyAsync(() => Engine.WaiterCount == 0, "the slots are given back");
    }

    [Fact]
    public async Task Wait_WithoutChange_ReturnsEmptyAtTheTimeout()
    {
        var key = Key("quiet");
        await PublishAsync(key, "v");
        var waiting = Engine.WaitForChangesAsync([new ConfigProbe(key, Md5("v"))], TimeSpan.FromSeconds(30), Client);
        await EventuallyAsync(() => Engine.WaiterCount == 1, "held");

        Clock.Advance(TimeSpan.FromSeconds(29));
        waiting.IsCompleted.ShouldBeFalse();
        Clock.Advance(TimeSpan.FromSeconds(1));

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Wait_Cancelled_ThrowsAndFreesTheSlot()
    {
        var key = Key("c");
        using var cts = new CancellationTokenSource();
        var waiting = Engine.WaitForChangesAsync([new ConfigProbe(key, "")], TimeSpan.FromMinutes(1), Client, cts.Token);
        await EventuallyAsync(() => Engine.WaiterCount == 1, "held");

        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => waiting);
        Engine.WaiterCount.ShouldBe(0);
    }

    [Fact]
    public async Task Wait_TenThousandWaiters_AllWokenByOnePublish()
    {
        // Note that the fake clock keeps its timers in a list (linear removal); the real one is what production runs.
        await Engine.DisposeAsync();
        Engine = await OpenEngineAsync(Options with { Time = TimeProvider.System });
        var key = Key("crowd");
        await PublishAsync(key, "v1");
        var probe = new[] { new ConfigProbe(key, Md5("v1")) };
        var waiters = Enumerable.Range(0, 10_000)
            .Select(i => Engine.WaitForChangesAsync(probe, TimeSpan.FromMinutes(1), new ConfigClient($"10.2.{i / 250}.{i % 250}")))
            .ToList();
        Engine.WaiterCount.ShouldBe(10_000);

        await PublishAsync(key, "v2");

        var results = await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(30));
        results.ShouldAllBe(r => r.Count == 1 && r[0] == key);
        Engine.WaiterCount.ShouldBe(0);
    }

    [Fact]
    public async Task Wait_OverThePerIpCap_IsRateLimitedWithRetryAfter()
    {
        await Engine.DisposeAsync();
        Engine = await OpenEngineAsync(Options with { MaxWaitersPerIp = 2 });
        var probe = new[] { new ConfigProbe(Key("cap"), "") };
        var held = new[]
        {
            Engine.WaitForChangesAsync(probe, TimeSpan.FromMinutes(1), Client),
            Engine.WaitForChangesAsync(probe, TimeSpan.FromMinutes(1), Client),
        };

        var e = await Fails(ConfigErrorCode.RateLimited, () => Engine.WaitForChangesAsync(probe, TimeSpan.FromMinutes(1), Client));
        e.RetryAfter.ShouldNotBeNull().ShouldBeGreaterThan(TimeSpan.Zero);
        var elsewhere = Engine.WaitForChangesAsync(probe, TimeSpan.FromMinutes(1), new ConfigClient("10.9.9.9"));
        Engine.WaiterCount.ShouldBe(3);

        Clock.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAll(held.Append(elsewhere)).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Listeners_ShowWhoHoldsWhichMd5_AndExpire()
    {
        var key = Key("watched");
        await PublishAsync(key, "v1");
        Engine.FindChanged([new ConfigProbe(key, Md5("v1"))], new ConfigClient("10.3.3.3"));
        var waiting = Engine.WaitForChangesAsync([new ConfigProbe(key, "old")], TimeSpan.Zero, new ConfigClient("10.4.4.4"));
        await waiting;
        var holding = Engine.WaitForChangesAsync([new ConfigProbe(key, Md5("v1"))], TimeSpan.FromMinutes(1), new ConfigClient("10.5.5.5"));

        var listeners = Engine.GetListeners(key);
        listeners.Select(l => (l.Ip, l.Md5, l.Waiting)).ShouldBe([("10.3.3.3", Md5("v1"), false), ("10.4.4.4", "old", false), ("10.5.5.5", Md5("v1"), true)]);
        Engine.GetListenersByIp("10.5.5.5").ShouldHaveSingleItem().Key.ShouldBe(key);

        Clock.Advance(TimeSpan.FromMinutes(3));
        (await holding.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeEmpty();
        Engine.GetListeners(key).ShouldBeEmpty("marks older than the time-to-live are gone");
    }

    [Fact]
    public async Task Changed_Event_CarriesRevisionAndMd5()
    {
        var seen = new List<ConfigChange>();
        Engine.Changed += c =>
        {
            lock (seen)
            {
                seen.Add(c);
            }
        };

        var published = await PublishAsync(Key("e"), "v");
        await Engine.RemoveAsync(Key("e"));

        seen.Count.ShouldBe(2);
        seen[0].ShouldBe(new ConfigChange(Key("e"), published.Item.Revision, Md5("v"), null));
        seen[1].Md5.ShouldBeNull();
        Engine.ChangesSince(published.Item.Revision - 1)!.ShouldHaveSingleItem().Md5.ShouldBeNull("the removal is what is newest");
    }
}
