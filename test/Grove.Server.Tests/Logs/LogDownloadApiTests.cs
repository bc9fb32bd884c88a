using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grove.Server.Tests.Logs;

/// <summary>Downloads: streamed text, gzip when accepted, a .log.gz file, ranges, and a client that goes away mid-way.</summary>
public sealed class LogDownloadApiTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Text(long from, long to) => string.Concat(Enumerable.Range((int)from, (int)(to - from)).Select(i => $"line {i}\n"));

    [Fact]
    public async Task Download_AcceptingGzip_IsGzipEncodedText()
    {
        var id = await LogApi.SeedAsync(_server, 20_000);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/logs/{id}/download");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await _admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var packed = await response.Content.ReadAsByteArrayAsync();
        await using var unzip = new GZipStream(new MemoryStream(packed), CompressionMode.Decompress);
        using var reader = new StreamReader(unzip, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        text.ShouldBe(Text(0, 20_000));
        packed.Length.ShouldBeLessThan(Encoding.UTF8.GetByteCount(text) / 2);
    }

    [Fact]
    public async Task Download_WithoutGzip_IsPlainTextAttachmentWithRangeAndTimeStamps()
    {
        var id = await LogApi.SeedAsync(_server, 100);
        using var response = await _admin.GetAsync($"/api/v1/logs/{id}/download?from=10&to=12&timestamps=true&download=true");
        response.Content.Headers.ContentEncoding.ShouldBeEmpty();
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        (await response.Content.ReadAsStringAsync()).ShouldBe("2026-01-01T00:00:00.010Z line 10\n2026-01-01T00:00:00.011Z line 11\n");
    }

    [Fact]
    public async Task Download_GzFile_IsAGzipFileNamedAfterTheTask()
    {
        var id = await LogApi.SeedAsync(_server, 50);
        using var response = await _admin.GetAsync($"/api/v1/logs/{id}/download?gz=true");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/gzip");
        response.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe(id + ".log.gz");
        await using var unzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        (await new StreamReader(unzip).ReadToEndAsync()).ShouldBe(Text(0, 50));
    }

    [Theory]
    [InlineData("?from=-1")]
    [InlineData("?from=5&to=4")]
    [InlineData("?to=x")]
    public async Task Download_BadRange_Is400InvalidRange(string query)
    {
        var id = await LogApi.SeedAsync(_server, 10);
        await (await _admin.GetAsync($"/api/v1/logs/{id}/download{query}")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_range");
    }

    [Fact]
    public async Task Download_ClientGoesAwayMidway_IsNotAnErrorAndTheServerCarriesOn()
    {
        // A server of its own that logs each finished request, so the test knows when the aborted downloads are over.
        using var folder = new TempFolder();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Grove.Server.Internal.RequestLogMiddleware"] = "Information",
        }).Build();
        await using var server = await GroveServer.StartAsync(_server.Options with { Data = folder.Path, LogRequests = true }, configuration);
        var log = new LogCapture();
        server.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        using var client = new HttpClient { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await server.Identity.LoginAsync("admin", RunningServer.AdminPassword, "test")).Token);
        var task = await server.Logs.CreateAsync("big");
        for (var first = 0; first < 300_000; first += 10_000)
        {
            await server.Logs.AppendAsync(task.Id, LogApi.Lines(first, 10_000));
        }

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync($"/api/v1/logs/{task.Id}/download", HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            (await body.ReadAsync(buffer)).ShouldBeGreaterThan(0);
        }

        await Eventually.HoldsAsync(() => Task.FromResult(log.Count("/download") == 3), "the three aborted downloads ended on the server", 60);
        var page = await client.PageAsync(task.Id, "?from=299999");
        LogApi.LinesOf(page).ShouldHaveSingleItem().Text.ShouldBe("line 299999");
        log.Errors.ShouldBeEmpty();
    }

    /// <summary>Collects what the server logs: errors, and the request lines.</summary>
    private sealed class LogCapture : ILoggerProvider, ILogger
    {
        private readonly List<string> _requests = [];

        public List<string> Errors { get; } = [];

        public int Count(string part)
        {
            lock (Errors)
            {
                return _requests.Count(r => r.Contains(part, StringComparison.Ordinal));
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Errors)
            {
                (logLevel >= LogLevel.Error ? Errors : _requests).Add(formatter(state, exception) + " " + exception);
            }
        }

        public void Dispose()
        {
        }
    }
}
