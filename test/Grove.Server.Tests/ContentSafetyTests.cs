using System.Net;

namespace Grove.Server.Tests;

/// <summary>
/// Users' files are served from the console's origin: a browser opening one must not run it as a page of that
/// origin, where a stored script could read the session's files.
/// </summary>
public sealed class ContentSafetyTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("")]
    [InlineData("?download=true")]
    public async Task Download_UploadedHtml_IsSandboxedAndNotSniffed(string query)
    {
        var html = new StringContent("<script>alert(1)</script>", System.Text.Encoding.UTF8, "text/html");
        (await _admin.PutAsync("/api/v1/files/evil.html", html)).EnsureSuccessStatusCode();

        using var get = await _admin.GetAsync("/api/v1/files/evil.html" + query);
        get.StatusCode.ShouldBe(HttpStatusCode.OK);
        get.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var policy = get.Headers.GetValues("Content-Security-Policy").Single();
        policy.Split(';', StringSplitOptions.TrimEntries).ShouldContain("sandbox");
        policy.ShouldContain("default-src 'none'");
        get.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
    }
}
