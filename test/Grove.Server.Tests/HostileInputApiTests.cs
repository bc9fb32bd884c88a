using System.Net;
using static Grove.Server.Tests.ApiAssertions;

namespace Grove.Server.Tests;

/// <summary>What a hostile client tried (issue 12): each answer is a clear problem+json and changes nothing.</summary>
public sealed class HostileInputApiTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task DeepPath_3900Levels_RefusedQuickly()
    {
        var deep = string.Concat(Enumerable.Repeat("/a", 3900));

        await (await _admin.PutAsync("/api/v1/files" + deep + "/f.txt", new StringContent("x"))).ProblemAsync(HttpStatusCode.BadRequest, "path_too_deep");
        await (await _admin.PostAsync("/api/v1/dirs" + deep, null)).ProblemAsync(HttpStatusCode.BadRequest, "path_too_deep");
        (await _admin.GetAsync("/api/v1/stat/a")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
