namespace Grove.Config.Tests;

/// <summary>Concurrent writes queued behind a running commit are committed together, each failing or succeeding alone.</summary>
public sealed class GroupCommitTests : EngineTestBase
{
    [Fact]
    public async Task QueuedPublishes_CommitInOneTransaction_WithDistinctRevisions()
    {
        var (engine, store) = await OpenFlakyAsync();
        store.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var first = Publish(engine, Key("first"), "1");
            await EventuallyAsync(() => engine.QueuedWrites == 0 && engine.IsBeingModified(Key("first")), "the first publish is committing");

            var queued = Enumerable.Range(0, 20).Select(i => Publish(engine, Key($"k{i}"), $"v{i}")).ToList();
            await EventuallyAsync(() => engine.QueuedWrites == 20, "twenty publishes wait behind it");
            store.Hold.TrySetResult();
            await first;
            var results = await Task.WhenAll(queued);

            store.CommitSizes.ShouldBe([1, 20], "the twenty queued publishes share one transaction");
            results.Select(r => r.Item.Revision).Distinct().Count().ShouldBe(20);
            for (var i = 0; i < 20; i++)
            {
                engine.Get(Key($"k{i}"))!.Content.ShouldBe($"v{i}");
            }
        }
        finally
        {
            store.Hold.TrySetResult();
        }
    }

    [Fact]
    public async Task OneBadWriteInAGroup_FailsAlone_AndTheOthersCommit()
    {
        var (engine, store) = await OpenFlakyAsync();
        await Publish(engine, Key("exists"), "old");
        store.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var first = Publish(engine, Key("first"), "1");
            await EventuallyAsync(() => engine.IsBeingModified(Key("first")), "the first publish is committing");

            var good = Publish(engine, Key("good"), "fine");
            var badFormat = Publish(engine, Key("bad.json"), "{ not json"); // json by its name: checked as it commits
            var createOnly = engine.PublishAsync(new PublishRequest { Key = Key("exists"), Content = "new", Mode = PublishMode.CreateOnly, Actor = Admin });
            await EventuallyAsync(() => engine.QueuedWrites == 3, "the three writes queue up");
            store.Hold.TrySetResult();
            await first;

            (await good).Item.Content.ShouldBe("fine");
            await Fails(ConfigErrorCode.InvalidFormat, () => badFormat);
            await Fails(ConfigErrorCode.Conflict, () => createOnly);
            engine.Get(Key("exists"))!.Content.ShouldBe("old");
            engine.Get(Key("bad.json")).ShouldBeNull();
        }
        finally
        {
            store.Hold.TrySetResult();
        }
    }

    [Fact]
    public async Task QueuedWritesOfOneKey_CommitInTheOrderAsked()
    {
        var (engine, store) = await OpenFlakyAsync();
        store.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var first = Publish(engine, Key("first"), "1");
            await EventuallyAsync(() => engine.IsBeingModified(Key("first")), "the first publish is committing");

            var a = Publish(engine, Key("same"), "a");
            await EventuallyAsync(() => engine.QueuedWrites == 1, "a queues");
            var removal = engine.RemoveAsync(Key("same"), Admin);
            await EventuallyAsync(() => engine.QueuedWrites == 2, "the removal queues");
            var b = Publish(engine, Key("same"), "b");
            await EventuallyAsync(() => engine.QueuedWrites == 3, "b queues");
            store.Hold.TrySetResult();
            await first;

            var (ra, rb) = (await a, await b);
            (await removal).ShouldBeTrue("the removal ran after a, which created the config");
            rb.Item.Revision.ShouldBeGreaterThan(ra.Item.Revision);
            rb.Created.ShouldBeTrue("b came after the removal");
            engine.Get(Key("same"))!.Content.ShouldBe("b");
        }
        finally
        {
            store.Hold.TrySetResult();
        }
    }

    [Fact]
    public async Task CancelledWhileQueued_IsNotCommitted()
    {
        var (engine, store) = await OpenFlakyAsync();
        store.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var first = Publish(engine, Key("first"), "1");
            await EventuallyAsync(() => engine.IsBeingModified(Key("first")), "the first publish is committing");

            using var cancel = new CancellationTokenSource();
            var gaveUp = engine.PublishAsync(new PublishRequest { Key = Key("late"), Content = "x", Actor = Admin }, cancel.Token);
            await EventuallyAsync(() => engine.QueuedWrites == 1, "the publish queues");
            await cancel.CancelAsync();
            await Should.ThrowAsync<OperationCanceledException>(() => gaveUp);
            store.Hold.TrySetResult();
            await first;

            (await Publish(engine, Key("after"), "y")).Item.Content.ShouldBe("y");
            engine.Get(Key("late")).ShouldBeNull();
        }
        finally
        {
            store.Hold.TrySetResult();
        }
    }

    [Fact]
    public async Task RefreshAsync_PicksUpAChangeMadeBehindTheEnginesBack()
    {
        var key = Key("shared");
        await PublishAsync(key, "v1");
        var other = await OpenEngineAsync();
        await PublishAsync(key, "v2", on: other);
        await PublishAsync(Key("gone"), "x", on: other);
        (await other.RemoveAsync(Key("gone"), Admin)).ShouldBeTrue();

        (await Engine.RefreshAsync(key)).ShouldBeTrue();
        Engine.Get(key)!.Content.ShouldBe("v2");
        (await Engine.RefreshAsync(key)).ShouldBeFalse("nothing newer the second time");
    }

    [Fact]
    public async Task PreviewDiff_ShowsWhatAPublishWouldChange()
    {
        var key = Key("app.properties");
        await PublishAsync(key, "a=1\nb=2\n");
        var diff = Engine.PreviewDiff(key, "a=1\nb=3\n");
        diff.Added.ShouldBe(1);
        diff.Removed.ShouldBe(1);
        diff.Unified.ShouldContain("-b=2");
        diff.Unified.ShouldContain("+b=3");
        Engine.PreviewDiff(Key("new.txt"), "x\n").Added.ShouldBe(1);
    }

    private static Task<PublishResult> Publish(ConfigEngine engine, ConfigKey key, string content) =>
        engine.PublishAsync(new PublishRequest { Key = key, Content = content, Actor = Admin });
}
