using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using static Grove.Server.Tests.ApiAssertions;

namespace Grove.Server.Tests;

/// <summary>The tree over HTTP as a user drives it with curl: mkdir, upload, stat, list, download, meta, query, move, delete.</summary>
public sealed class TreeApiTests : IAsyncLifetime
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
    public async Task Upload_ThenDownload_RoundTripsBytesWithEtagAndLength()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var put = await _admin.PutAsync("/api/v1/files/projects/alpha/report.bin", new ByteArrayContent(bytes));
        var o = await put.JsonAsync(HttpStatusCode.Created);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        o.Str("sha256").ShouldBe(sha);
        o.GetProperty("len").GetInt64().ShouldBe(bytes.Length);
        o.Str("ph").ShouldBe("/projects/alpha/report.bin");
        o.Str("c").ShouldBe("admin");

        using var get = await _admin.GetAsync("/api/v1/files/projects/alpha/report.bin");
        get.StatusCode.ShouldBe(HttpStatusCode.OK);
        get.Headers.ETag!.Tag.ShouldBe($"\"{sha}\"");
        get.Content.Headers.ContentLength.ShouldBe(bytes.Length);
        (await get.Content.ReadAsByteArrayAsync()).ShouldBe(bytes);

        var again = await _admin.PutAsync("/api/v1/files/projects/alpha/report.bin", new ByteArrayContent("v2"u8.ToArray()));
        (await again.JsonAsync(HttpStatusCode.OK)).GetProperty("len").GetInt64().ShouldBe(2);
    }

    [Fact]
    public async Task Download_WithRangeAndIfNoneMatch_AnswersPartialAndNotModified()
    {
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        var o = await (await _admin.PutAsync("/api/v1/files/r.bin", new ByteArrayContent(bytes))).JsonAsync(HttpStatusCode.Created);

        using var range = new HttpRequestMessage(HttpMethod.Get, "/api/v1/files/r.bin");
        range.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var partial = await _admin.SendAsync(range);
        partial.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        (await partial.Content.ReadAsByteArrayAsync()).ShouldBe(bytes[1000..2000]);
        partial.Content.Headers.ContentRange!.ToString().ShouldBe("bytes 1000-1999/100000");

        using var cached = new HttpRequestMessage(HttpMethod.Get, "/api/v1/files/r.bin");
        cached.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{o.Str("sha256")}\""));
        using var notModified = await _admin.SendAsync(cached);
        notModified.StatusCode.ShouldBe(HttpStatusCode.NotModified);

        using var head = await _admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/files/r.bin"));
        head.StatusCode.ShouldBe(HttpStatusCode.OK);
        head.Content.Headers.ContentLength.ShouldBe(bytes.Length);
    }

    [Fact]
    public async Task Mkdir_List_Paged_ReturnsChildrenInNameOrderWithCursor()
    {
        (await (await _admin.PostAsync("/api/v1/dirs/big", null)).JsonAsync(HttpStatusCode.Created)).Str("race").ShouldBe("DIR");
        for (var i = 0; i < 25; i++)
        {
            (await _admin.PutAsync($"/api/v1/files/big/f{i:D3}.txt", new StringContent("x"))).EnsureSuccessStatusCode();
        }

        var names = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await (await _admin.GetAsync("/api/v1/ls/big?limit=10" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)))).JsonAsync();
            names.AddRange(page.GetProperty("items").EnumerateArray().Select(x => x.Str("nm")));
            after = page.GetProperty("next").GetString();
            pages++;
        }
        while (after is not null);

        pages.ShouldBe(3);
        names.ShouldBe(Enumerable.Range(0, 25).Select(i => $"f{i:D3}.txt").ToList());
        var root = await (await _admin.GetAsync("/api/v1/ls/")).JsonAsync();
        root.GetProperty("items").EnumerateArray().Select(x => x.Str("nm")).ShouldContain("big");
    }

    [Fact]
    public async Task MetaPatch_ThenQuery_FindsByCustomKeyAndLabels()
    {
        await _admin.PutAsync("/api/v1/files/q/a.txt", new StringContent("a"));
        await _admin.PutAsync("/api/v1/files/q/b.txt", new StringContent("b"));
        var patched = await (await _admin.PatchAsync("/api/v1/meta/q/a.txt", Json("""{"set":{"year":2026,"lbls":["final"]}}"""))).JsonAsync();
        patched.GetProperty("year").GetInt32().ShouldBe(2026);
        await _admin.PatchAsync("/api/v1/meta/q/b.txt", Json("""{"set":{"year":2019}}"""));

        var found = await (await _admin.PostAsync("/api/v1/query", Json("""{"parent":"/q","where":{"year":"[2020,2030)"},"sort":["-lm"]}"""))).JsonAsync();
        found.GetProperty("items").EnumerateArray().Select(x => x.Str("nm")).ShouldBe(["a.txt"]);
        var labelled = await (await _admin.PostAsync("/api/v1/query", Json("""{"where":{"lbls":"final"}}"""))).JsonAsync();
        labelled.GetProperty("items").EnumerateArray().Select(x => x.Str("ph")).ShouldBe(["/q/a.txt"]);

        var unset = await (await _admin.PatchAsync("/api/v1/meta/q/a.txt", Json("""{"unset":["year"]}"""))).JsonAsync();
        unset.TryGetProperty("year", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Move_ThenDelete_MovesSubtreeAndRemovesIt()
    {
        await _admin.PutAsync("/api/v1/files/m/sub/x.txt", new StringContent("x"));
        var moved = await (await _admin.PostAsync("/api/v1/move", Json("""{"from":"/m","to":"/n"}"""))).JsonAsync();
        moved.Str("ph").ShouldBe("/n");
        (await (await _admin.GetAsync("/api/v1/stat/n/sub/x.txt")).JsonAsync()).Str("nm").ShouldBe("x.txt");
        await (await _admin.GetAsync("/api/v1/stat/m/sub/x.txt")).ProblemAsync(HttpStatusCode.NotFound, "not_found");

        await (await _admin.DeleteAsync("/api/v1/objects/n")).ProblemAsync(HttpStatusCode.Conflict, "not_empty");
        (await _admin.DeleteAsync("/api/v1/objects/n?recursive=true")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await _admin.GetAsync("/api/v1/stat/n")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task StatById_PlainAndInsideMemMount_ResolvesTwoPartIds()
    {
        var dir = await (await _admin.PostAsync("/api/v1/dirs/scratch", null)).JsonAsync(HttpStatusCode.Created);
        (await (await _admin.PutAsync("/api/v1/mounts/scratch", Json("""{"mount":"mem"}"""))).JsonAsync()).Str("mnt").ShouldBe("mem");
        var inner = await (await _admin.PutAsync("/api/v1/files/scratch/tmp.txt", new StringContent("t"))).JsonAsync(HttpStatusCode.Created);
        inner.Str("id").ShouldStartWith(dir.Str("id") + ":");
        (await (await _admin.GetAsync("/api/v1/ids/" + Uri.EscapeDataString(inner.Str("id")))).JsonAsync()).Str("ph").ShouldBe("/scratch/tmp.txt");
        (await (await _admin.GetAsync("/api/v1/ids/" + dir.Str("id"))).JsonAsync()).Str("ph").ShouldBe("/scratch");
        await (await _admin.PutAsync("/api/v1/mounts/other", Json("""{"mount":"dao(x)"}"""))).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
