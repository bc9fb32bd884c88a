using StackExchange.Redis;

namespace Grove.Queues.Tests;

/// <summary>The queue's scripts run by their SHA-1: a server that forgot them is given them again.</summary>
public abstract partial class RedisQueueContract
{
    [Fact]
    public async Task PushClaimAck_ServerForgotItsScripts_LoadedAgainAndNothingLost()
    {
        if (Unavailable) return;
        await Queues.PushAsync("/r/q", new MemoryStream([1]), name: "m1");
        await using var admin = await ConnectionMultiplexer.ConnectAsync(RedisServer.Configuration + ",allowAdmin=true");
        await admin.GetServers()[0].ScriptFlushAsync();

        await Queues.PushAsync("/r/q", new MemoryStream([2]), name: "m2");
        var first = (await Queues.ClaimAsync("/r/q"))!;
        await admin.GetServers()[0].ScriptFlushAsync();
        await Queues.AckAsync("/r/q", first.Receipt);

        first.Message.Path.ShouldBe("/r/q/m1");
        (await Queues.ListAsync("/r/q")).Select(m => m.Path).ShouldBe(["/r/q/m2"]);
    }
}
