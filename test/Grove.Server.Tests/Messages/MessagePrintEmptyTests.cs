using System.Net;

namespace Grove.Server.Tests.Messages;

/// <summary>Found by the access matrix (issue 12): printing a selection with no messages answered 500.</summary>
public sealed class MessagePrintEmptyTests
{
    [Fact]
    public async Task PrintOfAnEmptySelection_Answered500_Answers404NotFound()
    {
        await using var server = await RunningServer.StartAsync();
        var admin = await server.AdminAsync();
        await (await admin.GetAsync("/api/v1/messages/print")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        (await admin.GetAsync("/api/v1/messages/print?format=zip")).StatusCode.ShouldBe(HttpStatusCode.OK, "an empty zip is a valid answer");
    }
}
