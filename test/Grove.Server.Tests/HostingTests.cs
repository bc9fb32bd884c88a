using System.Net;
using System.Text;
using System.Text.Json;

namespace Grove.Server.Tests;

/// <summary>The host: OpenAPI, health, settings from the command line and environment, graceful shutdown.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task OpenApi_DocumentsTheTreeRoutes()
    {
        await using var server = await RunningServer.StartAsync();
        using var doc = JsonDocument.Parse(await server.Anonymous().GetStringAsync("/openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/api/v1/stat/{path}");
        paths.ShouldContain("/api/v1/files/{path}");
        paths.ShouldContain("/api/v1/auth/login");
        paths.ShouldContain("/api/v1/query");
    }

    [Fact]
    public void LoadOptions_FlagsOverrideEnvironmentOverrideFile()
    {
        Environment.SetEnvironmentVariable("GROVE_STORE", "postgres://u:p@db/grove");
        Environment.SetEnvironmentVariable("GROVE_DATA", "/from/env");
        try
        {
            var options = GroveServer.LoadOptions(GroveServer.LoadConfiguration(["--data", "/from/flag", "--urls", "http://127.0.0.1:9999"]));
            options.Data.ShouldBe("/from/flag");
            options.Store.ShouldBe("postgres://u:p@db/grove");
            options.Urls.ShouldBe("http://127.0.0.1:9999");
            options.RateLimitPerSecond.ShouldBe(2000, "from appsettings.json beside the program");
        }
        finally
        {
            Environment.SetEnvironmentVariable("GROVE_STORE", null);
            Environment.SetEnvironmentVariable("GROVE_DATA", null);
        }
    }

    [Fact]
    public async Task Stop_WithUploadInFlight_FinishesItBeforeClosingTheStore()
    {
        using var folder = new TempFolder();
        // Note that the shutdown grace is long here: on a loaded machine the rest of the upload may take seconds.
        var server = await RunningServer.StartAsync(o => o with { ShutdownTimeout = TimeSpan.FromSeconds(60) }, data: folder.Path);
        var admin = await server.AdminAsync();
        var body = new GatedContent(Encoding.UTF8.GetBytes(new string('u', 200_000)));
        using var uploader = GatedContent.ClientFor(admin);
        var upload = uploader.PutAsync("/api/v1/files/inflight.txt", body);
        await body.FirstHalfSent;

        var stopping = server.Server.StopAsync();
        body.Release();
        using var answer = await upload;
        answer.StatusCode.ShouldBe(HttpStatusCode.Created, "an upload in flight at shutdown completes");
        await stopping;
        await server.DisposeAsync();

        await using var again = await RunningServer.StartAsync(data: folder.Path);
        (await (await again.AdminAsync()).GetStringAsync("/api/v1/files/inflight.txt")).Length.ShouldBe(200_000);
    }
}
