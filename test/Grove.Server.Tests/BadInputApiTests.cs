using System.Net;
using System.Net.Sockets;
using System.Text;
using static Grove.Server.Tests.ApiAssertions;

namespace Grove.Server.Tests;

/// <summary>Bad input and attack: traversal, oversized requests, malformed JSON, cut-off uploads, racing writers.</summary>
public sealed class BadInputApiTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(o => o with { MaxJsonBytes = 4096, MaxUploadBytes = 1 << 20, MaxHeaderBytes = 8192 });
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/api/v1/stat/a/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/api/v1/files/a/..%2F..%2Fetc/passwd")]
    [InlineData("/api/v1/stat/a/%00b")]
    public async Task PathTraversal_InAnyForm_IsRefusedOrStaysInsideTheTree(string url)
    {
        await _admin.PutAsync("/api/v1/files/a/b.txt", new StringContent("b"));
        using var response = await _admin.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldNotContain("root:", Case.Sensitive, "never a file from outside the tree");
        ((int)response.StatusCode).ShouldBeOneOf(400, 404);
    }

    [Fact]
    public async Task FileMount_PathEscape_IsRefused()
    {
        using var outside = new TempFolder();
        var inside = outside.Dir("share");
        outside.File("secret.txt", "top secret");
        File.CreateSymbolicLink(Path.Join(inside, "link"), outside.Path);
        await _admin.PostAsync("/api/v1/dirs/share", null);
        (await _admin.PutAsync("/api/v1/mounts/share", Json($$"""{"mount":"file://{{inside}}"}"""))).EnsureSuccessStatusCode();

        using var escaped = await _admin.GetAsync("/api/v1/files/share/link/secret.txt");
        (await escaped.Content.ReadAsStringAsync()).ShouldNotContain("top secret");
        await escaped.ProblemAsync(HttpStatusCode.BadRequest, "path_escape");
        await (await _admin.PutAsync("/api/v1/files/share/link/planted.txt", new StringContent("x"))).ProblemAsync(HttpStatusCode.BadRequest, "path_escape");
        File.Exists(outside.Combine("planted.txt")).ShouldBeFalse();
    }

    [Fact]
    public async Task InvalidNames_AreRefusedWithInvalidName()
    {
        var longName = new string('n', 256);
        await (await _admin.PostAsync("/api/v1/dirs/" + longName, null)).ProblemAsync(HttpStatusCode.BadRequest, "invalid_name");
        await _admin.PostAsync("/api/v1/dirs/a", null);
        await (await _admin.PostAsync("/api/v1/move", Json("""{"from":"/a","to":"/b/../../c"}"""))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_path");
        await (await _admin.PostAsync("/api/v1/move", Json("""{"from":"/","to":"/x"}"""))).ProblemAsync(HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task OversizedHeaders_Are413()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stat/");
        request.Headers.Add("X-Padding", new string('p', 10_000));
        await (await _admin.SendAsync(request)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
    }

    [Fact]
    public async Task OversizedBodies_Are413AndStoreNothing()
    {
        var big = new string(' ', 5000);
        await (await _admin.PostAsync("/api/v1/query", Json("{" + big + "}"))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
        // Note that the client waits for 100-continue, as clients sending big bodies do: a server that refuses the
        // declared length at once may close the connection while a body is still being pushed at it.
        using var upload = new HttpRequestMessage(HttpMethod.Put, "/api/v1/files/huge.bin") { Content = new ByteArrayContent(new byte[(1 << 20) + 1]) };
        upload.Headers.ExpectContinue = true;
        var detail = await (await _admin.SendAsync(upload)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
        detail.ShouldContain("1048576");
        (await _server.Server.Tree.FindAsync("/huge.bin")).ShouldBeNull();
    }

    [Fact]
    public async Task MalformedJsonAndQueries_Are400WithReason()
    {
        await _admin.PutAsync("/api/v1/files/m.txt", new StringContent("m"));
        await (await _admin.PatchAsync("/api/v1/meta/m.txt", Json("{\"set\":"))).ProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        await (await _admin.PatchAsync("/api/v1/meta/m.txt", Json("[1,2]"))).ProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        await (await _admin.PatchAsync("/api/v1/meta/m.txt", Json("""{"set":{"len":5}}"""))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_meta");
        await (await _admin.PostAsync("/api/v1/query", Json("""{"where":{"nm":"^(unclosed"}}"""))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");
        await (await _admin.PostAsync("/api/v1/query", Json("""{"where":{"n":{"$nope":1}}}"""))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");
        await (await _admin.PostAsync("/api/v1/query", Json("""{"where":"text"}"""))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");
        await (await _admin.PostAsync("/api/v1/query", Json("""{"limit":"ten"}"""))).ProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        await (await _admin.GetAsync("/api/v1/ls/?limit=0")).ProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        await (await _admin.GetAsync("/api/v1/ls/?limit=abc")).ProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        using var ifMatch = new HttpRequestMessage(HttpMethod.Put, "/api/v1/files/m.txt") { Content = new StringContent("n") };
        ifMatch.Headers.TryAddWithoutValidation("If-Match", "W/\"weak\"");
        await (await _admin.SendAsync(ifMatch)).ProblemAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task Upload_CutOffMidStream_LeavesTheOldContent()
    {
        await _admin.PutAsync("/api/v1/files/doc.txt", new StringContent("old content"));
        var token = _admin.DefaultRequestHeaders.Authorization!.Parameter;
        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(_server.Address.Host, _server.Address.Port);
            var stream = socket.GetStream();
            var head = $"PUT /api/v1/files/doc.txt HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Length: 500000\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(new byte[200_000]);
            await stream.FlushAsync();
        }

        // The server notices the cut; the old content stays whatever the timing.
        (await _admin.GetStringAsync("/api/v1/files/doc.txt")).ShouldBe("old content");
        var stat = await (await _admin.GetAsync("/api/v1/stat/doc.txt")).JsonAsync();
        stat.GetProperty("len").GetInt64().ShouldBe(11);
        await _admin.PutAsync("/api/v1/files/doc.txt", new StringContent("new content"));
        (await _admin.GetStringAsync("/api/v1/files/doc.txt")).ShouldBe("new content");
    }

    [Fact]
    public async Task ConcurrentWriters_OneWinsTheOtherGets409()
    {
        await _admin.PutAsync("/api/v1/files/race.txt", new StringContent("v0"));
        var slow = new GatedContent(Encoding.UTF8.GetBytes(new string('s', 100_000)));
        using var slowClient = GatedContent.ClientFor(_admin);
        var slowPut = slowClient.PutAsync("/api/v1/files/race.txt", slow);
        await slow.FirstHalfSent;

        var fast = await _admin.PutAsync("/api/v1/files/race.txt", new StringContent("fast"));
        fast.StatusCode.ShouldBe(HttpStatusCode.OK);
        slow.Release();
        await (await slowPut).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        (await _admin.GetStringAsync("/api/v1/files/race.txt")).ShouldBe("fast");
    }

    [Fact]
    public async Task IfMatch_StaleEtag_Is409AndCurrentEtagWrites()
    {
        var v1 = await (await _admin.PutAsync("/api/v1/files/cas.txt", new StringContent("v1"))).JsonAsync(HttpStatusCode.Created);
        await _admin.PutAsync("/api/v1/files/cas.txt", new StringContent("v2"));
        using var stale = new HttpRequestMessage(HttpMethod.Put, "/api/v1/files/cas.txt") { Content = new StringContent("v3") };
        stale.Headers.TryAddWithoutValidation("If-Match", $"\"{v1.Str("sha256")}\"");
        await (await _admin.SendAsync(stale)).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        (await _admin.GetStringAsync("/api/v1/files/cas.txt")).ShouldBe("v2");
    }

    [Fact]
    public async Task IfNoneMatchStarIgnored_UploadOntoAnExistingFile_Is409AndKeepsItsContent()
    {
        using var create = new HttpRequestMessage(HttpMethod.Put, "/api/v1/files/once/new.txt") { Content = new StringContent("first") };
        create.Headers.TryAddWithoutValidation("If-None-Match", "*");
        await (await _admin.SendAsync(create)).JsonAsync(HttpStatusCode.Created);

        using var again = new HttpRequestMessage(HttpMethod.Put, "/api/v1/files/once/new.txt") { Content = new StringContent("second") };
        again.Headers.TryAddWithoutValidation("If-None-Match", "*");
        await (await _admin.SendAsync(again)).ProblemAsync(HttpStatusCode.Conflict, "already_exists");

        (await _admin.GetStringAsync("/api/v1/files/once/new.txt")).ShouldBe("first");
        using var etag = new HttpRequestMessage(HttpMethod.Put, "/api/v1/files/once/new.txt") { Content = new StringContent("x") };
        etag.Headers.TryAddWithoutValidation("If-None-Match", "\"abc\"");
        await (await _admin.SendAsync(etag)).ProblemAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task RefusedWriteChangesTheTree_StaleIfMatchUnderAMissingParent_LeavesNoDirectoryAndNoFile()
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/files/fresh/sub/f.txt") { Content = new StringContent("x") };
        put.Headers.TryAddWithoutValidation("If-Match", $"\"{new string('a', 64)}\"");

        await (await _admin.SendAsync(put)).ProblemAsync(HttpStatusCode.Conflict, "conflict");

        (await _server.Server.Tree.FindAsync("/fresh")).ShouldBeNull();
    }

    [Fact]
    public async Task FailedMountLeavesADirectory_MissingLocalFolder_NothingCreated()
    {
        var missing = Path.Join(Path.GetTempPath(), "grove-no-such-" + Guid.NewGuid().ToString("N"));

        await (await _admin.PutAsync("/api/v1/mounts/share/files", Json($$"""{"mount":"file://{{missing}}"}"""))).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        (await (await _admin.PutAsync("/api/v1/mounts/share/db", Json("""{"mount":"dao(news)"}"""))).ProblemAsync(HttpStatusCode.NotFound, "not_found"))
            .ShouldContain("no record set 'news'");

        (await _server.Server.Tree.FindAsync("/share")).ShouldBeNull();
        var made = await (await _admin.PutAsync("/api/v1/mounts/share/scratch", Json("""{"mount":"mem"}"""))).JsonAsync();
        made.Str("mnt").ShouldBe("mem", "a mount that works creates its directory");
    }
}
