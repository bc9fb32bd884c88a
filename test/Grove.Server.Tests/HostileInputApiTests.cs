using System.Net;
using System.Net.Sockets;
using System.Text;
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

    [Theory]
    [InlineData("a%2fb.txt")]
    [InlineData("a%2Fb.txt")]
    [InlineData("a%0d%0ab.txt")]
    [InlineData("a%0ab.txt")]
    [InlineData("a%ffb.txt")]
    [InlineData("a%c3b.txt")]
    public async Task NamesAndStatuses_BadNames_Are400InvalidName(string name)
    {
        await _admin.PostAsync("/api/v1/dirs/pub", null);

        var (status, type, body) = await RawAsync($"PUT /api/v1/files/pub/{name}", body: "x");

        status.ShouldBe(400, body);
        type.ShouldContain("application/problem+json");
        body.ShouldContain("\"code\":\"invalid_name\"");
        (await _admin.GetStringAsync("/api/v1/ls/pub")).ShouldNotContain("b.txt");
    }

    [Fact]
    public async Task NamesAndStatuses_NulInThePath_IsRefused()
    {
        var (status, type, body) = await RawAsync("PUT /api/v1/files/a%00b.txt", body: "x");

        // Note that Kestrel refuses a NUL in the target itself, before any middleware, with a bare 400.
        status.ShouldBe(400, body);
        if (body.Length > 0)
        {
            type.ShouldContain("application/problem+json");
        }

        (await _admin.GetStringAsync("/api/v1/ls/")).ShouldNotContain("a\\u0000b");
    }

    [Theory]
    [InlineData("/api/v1/files/pub/%2e%2e/evil.txt")]
    [InlineData("/api/v1/files/pub/%2E%2E/evil.txt")]
    [InlineData("/api/v1/files/pub/../evil.txt")]
    [InlineData("/api/v1/files/pub/.%2e/evil.txt")]
    public async Task NamesAndStatuses_DotDotInTheRawPath_Is400PathEscape(string target)
    {
        await _admin.PostAsync("/api/v1/dirs/pub", null);

        var (status, type, body) = await RawAsync("PUT " + target, body: "evil");

        status.ShouldBe(400, body);
        type.ShouldContain("application/problem+json");
        body.ShouldContain("\"code\":\"path_escape\"");
        (await _admin.GetAsync("/api/v1/stat/evil.txt")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task NamesAndStatuses_OverLimitRequests_AnswerProblemJson()
    {
        var many = string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: v\r\n"));
        var (status, type, body) = await RawAsync("GET /api/v1/stat/", many);
        status.ShouldBe(431, body);
        type.ShouldContain("application/problem+json");

        (status, type, body) = await RawAsync("GET /api/v1/stat/", $"X-Big: {new string('b', 100 * 1024)}\r\n");
        status.ShouldBe(413, body);
        type.ShouldContain("application/problem+json");
        body.ShouldContain("\"code\":\"too_large\"");

        (status, type, body) = await RawAsync("GET /api/v1/stat/" + new string('n', 10_000));
        status.ShouldBe(414, body);
        type.ShouldContain("application/problem+json");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("99999999999999999999")]
    [InlineData("9223372036854775807")]
    [InlineData("abc")]
    public async Task NamesAndStatuses_BadLastEventId_Is400(string lastId)
    {
        var task = await (await _admin.PostAsync("/api/v1/logs", Json("""{"name":"build"}"""))).JsonAsync(HttpStatusCode.Created);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/logs/{task.Str("id")}/follow");
        request.Headers.TryAddWithoutValidation("Last-Event-ID", lastId);

        await (await _admin.SendAsync(request)).ProblemAsync(HttpStatusCode.BadRequest, "invalid_range");
    }

    [Fact]
    public async Task NamesAndStatuses_RangeInAnotherUnit_IsIgnored()
    {
        await _admin.PutAsync("/api/v1/files/r.txt", new StringContent("0123456789"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/files/r.txt");
        request.Headers.TryAddWithoutValidation("Range", "items=0-1");

        using var response = await _admin.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("0123456789");
    }

    [Fact]
    public async Task NamesAndStatuses_QueryRefusesOtherMediaTypesAndUnknownKeys()
    {
        await (await _admin.PostAsync("/api/v1/query", new StringContent("""{"parent":"/"}""", Encoding.UTF8, "text/plain")))
            .ProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        var detail = await (await _admin.PostAsync("/api/v1/query", Json("""{"parent":"/","wher":{"nm":"a"}}"""))).ProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        detail.ShouldContain("wher");
        (await _admin.PostAsync("/api/v1/query", Json("""{"parent":"/"}"""))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task NamesAndStatuses_SearchLimitMessage_NamesThePublicParameter()
    {
        var task = await (await _admin.PostAsync("/api/v1/logs", Json("""{"name":"build"}"""))).JsonAsync(HttpStatusCode.Created);

        var detail = await (await _admin.GetAsync($"/api/v1/logs/{task.Str("id")}/search?q=x&max=0")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_range");

        detail.ShouldContain("(max)");
        detail.ShouldNotContain("maxMatches");
    }

    /// <summary>One request over a raw connection (HttpClient would normalize the target): status, content type, body.</summary>
    private async Task<(int Status, string ContentType, string Body)> RawAsync(string requestLine, string headers = "", string body = "")
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_server.Address.Host, _server.Address.Port);
        var stream = tcp.GetStream();
        var auth = _admin.DefaultRequestHeaders.Authorization!.ToString();
        var request = $"{requestLine} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {auth}\r\nConnection: close\r\n"
            + $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n{headers}\r\n{body}";
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await reader.ReadToEndAsync(timeout.Token);
        var head = response.Split("\r\n\r\n", 2);
        var lines = head[0].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var type = lines.FirstOrDefault(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase)) ?? "";
        return (status, type, head.Length > 1 ? head[1] : "");
    }
}
