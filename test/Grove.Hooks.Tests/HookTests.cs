using System.Text.Json;
using Grove.Queues;

namespace Grove.Hooks.Tests;

/// <summary>Hooks on a SQLite tree: webhooks signed and in order, retries with visible errors, queue pushes, restarts.</summary>
public sealed class HookTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly WebhookReceiver _receiver = new();
    private readonly ManualTime _clock = new();
    private TreeService _tree = null!;
    private QueueService _queues = null!;

    public async Task InitializeAsync()
    {
        _tree = await TreeService.OpenAsync(new TreeOptions { DataPath = _folder.Combine("data"), Time = _clock });
        _queues = await QueueService.OpenAsync(_tree);
    }

    public async Task DisposeAsync()
    {
        await _queues.DisposeAsync();
        await _tree.DisposeAsync();
        _receiver.Dispose();
        _folder.Dispose();
    }

    private Task<HookService> HooksAsync(bool background) =>
        HookService.OpenAsync(_tree, _queues, new HookOptions { Background = background, FirstBackoff = TimeSpan.FromSeconds(1) });

    [Fact]
    public async Task Webhook_ChangesUnderItsPath_PostedSignedInOrderAfterCommit()
    {
        await using var hooks = await HooksAsync(background: true);
        var created = await hooks.AddAsync("/inbox", [ChangeKind.Create, ChangeKind.Write], _receiver.Url, null);

        await _tree.WriteAsync("/inbox/a", new byte[] { 1 });
        await _tree.WriteAsync("/inbox/a", new byte[] { 2 });
        await _tree.SetMetaAsync("/inbox/a", new Dictionary<string, object?> { ["x"] = 1 });
        await _tree.WriteAsync("/outside", new byte[] { 3 });
        await _tree.WriteAsync("/inbox/b", new byte[] { 4 });
        await Should.ThrowAsync<TreeException>(() => _tree.CreateAsync("/inbox/b", ObjectRace.File));

        await Poll.UntilAsync(() => _receiver.Received.Count >= 4, "four deliveries");
        var got = _receiver.Received.ToArray();
        got.Select(r => (r.Event, JsonDocument.Parse(r.Body).RootElement.GetProperty("path").GetString())).ShouldBe(
            [("create", "/inbox"), ("create", "/inbox/a"), ("write", "/inbox/a"), ("create", "/inbox/b")]);
        got.ShouldAllBe(r => r.Signature == HookService.Sign(created.Secret, r.Body));
        (await hooks.ListAsync()).Single().LastError.ShouldBeNull();
    }

    [Fact]
    public async Task Webhook_AddedByAnotherNodeWhileTheDelivererIdles_Delivered()
    {
        // The delivering service idles (no hook defined) and no longer wakes on commits; a hook added through another
        // instance on the same store reaches it through the bus.
        await using var deliverer = await HooksAsync(background: true);
        await _tree.WriteAsync("/before", new byte[] { 1 });
        await using var other = await HooksAsync(background: false);
        await other.AddAsync("/later", [ChangeKind.Create], _receiver.Url, null);

        await _tree.WriteAsync("/later/a", new byte[] { 2 });

        await Poll.UntilAsync(() => _receiver.Received.Any(r => r.Body.AsSpan().IndexOf("/later/a"u8) >= 0), "the delivery of /later/a");
    }

    [Fact]
    public async Task Webhook_WriteCommittedWhileAPassRuns_DeliveredWithoutWaitingForThePollInterval()
    {
        // Note that the manual clock never ends the delivery loop's one-second wait: only a wake-up delivers here.
        await using var hooks = await HooksAsync(background: true);
        await _tree.MkdirAsync("/seq");
        await hooks.AddAsync("/seq", [ChangeKind.Create], _receiver.Url, null);

        for (var i = 1; i <= 20; i++)
        {
            await _tree.CreateAsync($"/seq/f{i}", ObjectRace.File);
            await Poll.UntilAsync(() => _receiver.Received.Count >= i, $"delivery {i} without a poll");
        }

        _receiver.Received.Count.ShouldBe(20);
    }

    [Fact]
    public async Task Webhook_ReceiverFails_RetriedWithBackoffInOrderAndTheErrorIsVisible()
    {
        await using var hooks = await HooksAsync(background: false);
        await _tree.MkdirAsync("/w");
        await hooks.AddAsync("/w", [ChangeKind.Create], _receiver.Url, null);
        await _tree.WriteAsync("/w/1", new byte[] { 1 });
        await _tree.WriteAsync("/w/2", new byte[] { 2 });
        _receiver.Statuses.Enqueue(500);
        _receiver.Statuses.Enqueue(503);

        (await hooks.DeliverAsync()).ShouldBe(0);
        var failing = (await hooks.ListAsync()).Single();
        failing.LastError!.ShouldContain("HTTP 500");
        failing.Failures.ShouldBe(1);
        (await hooks.DeliverAsync()).ShouldBe(0, "not due before the back-off");
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await hooks.DeliverAsync()).ShouldBe(0);
        (await hooks.ListAsync()).Single().LastError!.ShouldContain("HTTP 503");
        _clock.Advance(TimeSpan.FromSeconds(2));

        (await hooks.DeliverAsync()).ShouldBe(2);

        _receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("path").GetString()).ShouldBe(["/w/1", "/w/2"]);
        var ok = (await hooks.ListAsync()).Single();
        ok.LastError.ShouldBeNull();
        ok.Failures.ShouldBe(0);
    }

    [Fact]
    public async Task QueueHook_Changes_PushedIntoTheQueueAsJson()
    {
        await _tree.MountAsync("/events", "mq(events)", createMissing: true);
        await using var hooks = await HooksAsync(background: false);
        await hooks.AddAsync("/", [ChangeKind.Delete], null, "/events");
        await _tree.WriteAsync("/doc", new byte[] { 1 });
        await _tree.DeleteAsync("/doc");

        (await hooks.DeliverAsync()).ShouldBe(1);

        var m = (await _queues.ClaimAsync("/events"))!;
        var e = JsonDocument.Parse(await _tree.ReadAllBytesAsync(m.Message.Path)).RootElement;
        e.GetProperty("kind").GetString().ShouldBe("delete");
        e.GetProperty("path").GetString().ShouldBe("/doc");
        (await hooks.DeliverAsync()).ShouldBe(0, "the queue's own files fire nothing");
    }

    [Fact]
    public async Task Hooks_Reopened_SurviveAndTestReportsTheError()
    {
        await using (var hooks = await HooksAsync(background: false))
        {
            await hooks.AddAsync("/x", [ChangeKind.Create], "http://127.0.0.1:1/unreachable", null);
        }

        await using var again = await HooksAsync(background: false);
        var hook = (await again.ListAsync()).Single();
        hook.Path.ShouldBe("/x");

        (await again.TestAsync(hook.Id)).ShouldNotBeNull();
        (await again.ListAsync()).Single().LastError.ShouldNotBeNull();
        await again.RemoveAsync(hook.Id);
        (await again.ListAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Add_BadArguments_Refused()
    {
        await using var hooks = await HooksAsync(background: false);

        await Should.ThrowAsync<HookException>(() => hooks.AddAsync("/x", [], _receiver.Url, null));
        await Should.ThrowAsync<HookException>(() => hooks.AddAsync("/x", [ChangeKind.Create], "ftp://x", null));
        await Should.ThrowAsync<HookException>(() => hooks.AddAsync("/x", [ChangeKind.Create], _receiver.Url, "/q"));
        await Should.ThrowAsync<QueueException>(() => hooks.AddAsync("/x", [ChangeKind.Create], null, "/not-a-queue"));
        (await hooks.ListAsync()).ShouldBeEmpty();
    }
}
