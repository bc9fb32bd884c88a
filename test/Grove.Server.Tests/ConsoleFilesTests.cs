using System.Net;

namespace Grove.Server.Tests;

/// <summary>The console's static files: served at / without signing in, revalidated, locked to the own origin.</summary>
public sealed class ConsoleFilesTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Root_WithoutSignIn_ServesTheConsoleWithItsPolicy()
    {
        using var get = await _server.Anonymous().GetAsync("/");
        get.StatusCode.ShouldBe(HttpStatusCode.OK);
        get.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await get.Content.ReadAsStringAsync()).ShouldContain("js/main.js");
        var policy = get.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldContain("script-src 'self'");
        policy.ShouldContain("frame-ancestors 'none'");
        policy.ShouldNotContain("sandbox");
        get.Headers.CacheControl!.NoCache.ShouldBeTrue();
    }

    [Fact]
    public async Task Module_Unchanged_RevalidatesWith304()
    {
        var client = _server.Anonymous();
        using var first = await client.GetAsync("/js/main.js");
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        first.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        first.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");

        using var again = new HttpRequestMessage(HttpMethod.Get, "/js/main.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await client.SendAsync(again);
        second.StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }
}
