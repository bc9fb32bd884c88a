using System.Text.Json;

namespace Grove.Client.Tests;

/// <summary>Hooks over HTTP: admins only; a queue hook fires after a write; errors show in the listing.</summary>
public sealed class HookApiTests : ClientTestBase
{
    [Fact]
    public async Task QueueHook_WriteAfterAdding_EventArrivesInTheQueue()
    {
        await Admin.MountAsync("/events", "mq(events)");
        var hook = await Admin.AddHookAsync("/docs", ["create", "write"], queue: "/events");
        hook.Secret.ShouldNotBeNullOrEmpty();

        await Admin.UploadAsync("/docs/a.txt", new MemoryStream("a"u8.ToArray()));

        GroveQueueMessage? m = null;
        await Poll.UntilAsync(async () => (m = await Admin.PopAsync("/events")) is not null, "the hook's event in the queue");
        var body = new MemoryStream();
        await Admin.DownloadAsync(m!.Path, body);
        var e = JsonDocument.Parse(body.ToArray()).RootElement;
        e.GetProperty("kind").GetString().ShouldBe("create");
        e.GetProperty("path").GetString().ShouldBeOneOf("/docs", "/docs/a.txt");
        (await Admin.ListHooksAsync()).Single().Id.ShouldBe(hook.Id);
    }

    [Fact]
    public async Task Hooks_UnreachableUrlAndNonAdmin_ErrorVisibleAndForbidden()
    {
        var hook = await Admin.AddHookAsync("/x", ["create"], url: "http://127.0.0.1:1/nothing");

        (await Admin.TestHookAsync(hook.Id)).ShouldNotBeNull();
        (await Admin.ListHooksAsync()).Single().LastError.ShouldNotBeNull();
        var bob = await UserAsync("bob");
        await ShouldBeRefusedAsync(() => bob.ListHooksAsync(), 403, GroveErrorCode.Forbidden);
        await ShouldBeRefusedAsync(() => Admin.AddHookAsync("/x", ["explode"], url: "http://127.0.0.1:1/"), 400, "bad_request");
        await Admin.RemoveHookAsync(hook.Id);
        (await Admin.ListHooksAsync()).ShouldBeEmpty();
    }
}
