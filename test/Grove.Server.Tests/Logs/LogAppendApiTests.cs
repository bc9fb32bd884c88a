using System.Net;
using System.Text;
using Grove.Logs;
using static Grove.Server.Tests.ApiAssertions;

namespace Grove.Server.Tests.Logs;

/// <summary>Appending over HTTP: idempotent by line number, gaps and overlaps refused with the line to resend from, bad batches refused whole.</summary>
public sealed class LogAppendApiTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(o => o with
        {
            Logs = o.Logs with { MaxBatchLines = 1000, MaxBatchBytes = 64 * 1024, MaxLineBytes = 1024 },
        });
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Append_Glb1Batches_AreStoredWithNumbersAndTimeStamps()
    {
        var id = await _admin.CreateTaskAsync();
        var answer = await (await _admin.AppendAsync(id, LogApi.Lines(0, 100))).JsonAsync();
        answer.GetProperty("accepted").GetInt32().ShouldBe(100);
        answer.GetProperty("next").GetInt64().ShouldBe(100);
        (await _admin.PostAsync($"/api/v1/logs/{id}/lines", LogApi.Batch(LogApi.Lines(100, 50), compress: false))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var page = await _admin.PageAsync(id, "?from=95&limit=10");
        LogApi.LinesOf(page).ShouldBe([.. LogApi.Lines(95, 10).Select(l => (l.Number, l.Timestamp, l.Text))]);
        page.GetProperty("total").GetInt64().ShouldBe(150);
    }

    [Fact]
    public async Task Append_RetriedBatch_IsAppliedOnce()
    {
        var id = await _admin.CreateTaskAsync();
        await _admin.AppendOkAsync(id, LogApi.Lines(0, 10));
        var retry = await (await _admin.AppendAsync(id, LogApi.Lines(0, 10))).JsonAsync();
        retry.GetProperty("accepted").GetInt32().ShouldBe(0);
        retry.GetProperty("duplicates").GetInt32().ShouldBe(10);

        var overlapping = await (await _admin.AppendAsync(id, LogApi.Lines(5, 10))).JsonAsync();
        overlapping.GetProperty("accepted").GetInt32().ShouldBe(5);
        overlapping.GetProperty("duplicates").GetInt32().ShouldBe(5);
        (await _admin.PageAsync(id)).GetProperty("total").GetInt64().ShouldBe(15);
    }

    [Fact]
    public async Task JsonAppendRetry_WithoutT_IsAppliedOnce()
    {
        await using var server = await RunningServer.StartAsync(o => o with { Time = new ManualTime() });
        var admin = await server.AdminAsync();
        var clock = (ManualTime)server.Options.Time;
        var id = await admin.CreateTaskAsync();
        const string Batch = """{"lines":[{"n":0,"text":"first"},{"n":1,"text":"second","t":null}]}""";

        var first = await (await admin.PostAsync($"/api/v1/logs/{id}/lines", Json(Batch))).JsonAsync();
        clock.Advance(TimeSpan.FromSeconds(5));
        var retry = await (await admin.PostAsync($"/api/v1/logs/{id}/lines", Json(Batch))).JsonAsync();

        first.GetProperty("accepted").GetInt32().ShouldBe(2);
        retry.GetProperty("accepted").GetInt32().ShouldBe(0);
        retry.GetProperty("duplicates").GetInt32().ShouldBe(2);
        var lines = LogApi.LinesOf(await admin.PageAsync(id));
        lines.Select(l => l.Text).ShouldBe(["first", "second"]);
        lines.ShouldAllBe(l => l.T == clock.GetUtcNow().AddSeconds(-5).ToUnixTimeMilliseconds(), "stamped once, by the first try");

        var grown = await (await admin.PostAsync($"/api/v1/logs/{id}/lines", Json("""{"lines":[{"n":1,"text":"second"},{"n":2,"text":"third"}]}"""))).JsonAsync();
        grown.GetProperty("accepted").GetInt32().ShouldBe(1);
        grown.GetProperty("duplicates").GetInt32().ShouldBe(1);
        var changed = await (await admin.PostAsync($"/api/v1/logs/{id}/lines", Json("""{"lines":[{"n":2,"text":"other"}]}"""))).JsonAsync(HttpStatusCode.Conflict);
        changed.Str("code").ShouldBe("overlap_mismatch", "other text is still a mismatch");
    }

    [Fact]
    public async Task JsonAppendRetry_WithT_CountsDuplicatesOnly()
    {
        var id = await _admin.CreateTaskAsync();
        const string Batch = """{"lines":[{"n":0,"t":1767225600000,"text":"a"},{"n":1,"t":1767225600001,"text":"b"}]}""";
        await (await _admin.PostAsync($"/api/v1/logs/{id}/lines", Json(Batch))).JsonAsync();
        var retry = await (await _admin.PostAsync($"/api/v1/logs/{id}/lines", Json(Batch))).JsonAsync();

        retry.GetProperty("accepted").GetInt32().ShouldBe(0);
        retry.GetProperty("duplicates").GetInt32().ShouldBe(2);
        LogApi.LinesOf(await _admin.PageAsync(id)).ShouldBe([(0L, 1767225600000L, "a"), (1L, 1767225600001L, "b")]);
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("12345678901234567890")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("253402300800000")]
    [InlineData("true")]
    [InlineData("{}")]
    public async Task JsonAppend_BadT_Is400InvalidTimeAndStoresNothing(string t)
    {
        var id = await _admin.CreateTaskAsync();
        var body = $$"""{"lines":[{"n":0,"text":"ok","t":1767225600000},{"n":1,"text":"bad","t":{{t}}}]}""";

        var detail = await (await _admin.PostAsync($"/api/v1/logs/{id}/lines", Json(body))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_time");

        detail.ShouldContain("line 1");
        (await _admin.PageAsync(id)).GetProperty("total").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Append_Gap_Is409WithTheExpectedLineAndStoresNothing()
    {
        var id = await _admin.CreateTaskAsync();
        await _admin.AppendOkAsync(id, LogApi.Lines(0, 10));
        var body = await (await _admin.AppendAsync(id, LogApi.Lines(20, 5))).JsonAsync(HttpStatusCode.Conflict);
        body.Str("code").ShouldBe("gap");
        body.GetProperty("expected").GetInt64().ShouldBe(10);
        (await _admin.PageAsync(id)).GetProperty("total").GetInt64().ShouldBe(10);

        await _admin.AppendOkAsync(id, LogApi.Lines(10, 15));
        (await _admin.PageAsync(id)).GetProperty("total").GetInt64().ShouldBe(25, "resending from the expected line closes the gap");
    }

    [Fact]
    public async Task Append_OverlapWithOtherText_Is409OverlapMismatchAndStoresNothing()
    {
        var id = await _admin.CreateTaskAsync();
        await _admin.AppendOkAsync(id, LogApi.Lines(0, 10));
        List<LogLine> changed = [new(8, LogApi.T0 + 8, "other"), LogApi.Line(9), LogApi.Line(10)];
        var body = await (await _admin.AppendAsync(id, changed)).JsonAsync(HttpStatusCode.Conflict);
        body.Str("code").ShouldBe("overlap_mismatch");
        body.GetProperty("expected").GetInt64().ShouldBe(10);
        LogApi.LinesOf(await _admin.PageAsync(id, "?from=8")).Select(l => l.Text).ShouldBe(["line 8", "line 9"]);
    }

    [Fact]
    public async Task Append_AfterFinish_Is409Finished()
    {
        var id = await _admin.CreateTaskAsync();
        await _admin.AppendOkAsync(id, LogApi.Lines(0, 3));
        await _admin.FinishAsync(id);
        await (await _admin.AppendAsync(id, LogApi.Lines(3, 1))).ProblemAsync(HttpStatusCode.Conflict, "finished");
        (await _admin.PageAsync(id)).GetProperty("total").GetInt64().ShouldBe(3);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { (byte)'G', (byte)'L', (byte)'B', (byte)'1', 9, 0, 0 })]
    [InlineData(new byte[] { (byte)'G', (byte)'L', (byte)'B', (byte)'1', 1, 0xff, 0xfe, 0xfd })]
    [InlineData(new byte[] { (byte)'G', (byte)'L', (byte)'B', (byte)'1', 0, 2, 0, 0, 0, 0, 0 })]
    public async Task Append_MalformedBatch_Is400InvalidBatch(byte[] body)
    {
        var id = await _admin.CreateTaskAsync();
        await (await _admin.PostAsync($"/api/v1/logs/{id}/lines", LogApi.Raw(body))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_batch");
        (await _admin.PageAsync(id)).GetProperty("total").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Append_OverTheBatchLimits_Is413TooLargeAndStoresNothing()
    {
        var id = await _admin.CreateTaskAsync();
        await (await _admin.AppendAsync(id, LogApi.Lines(0, 1001))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
        var fat = Enumerable.Range(0, 100).Select(i => new LogLine(i, LogApi.T0, new string('x', 1000))).ToList();
        await (await _admin.AppendAsync(id, fat)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
        var huge = new byte[200 * 1024];
        await (await _admin.PostAsync($"/api/v1/logs/{id}/lines", LogApi.Raw(huge))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
        (await _admin.PageAsync(id)).GetProperty("total").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Append_CompressedBombOverTheLimit_Is413WithoutExpanding()
    {
        var id = await _admin.CreateTaskAsync();
        var bomb = Enumerable.Range(0, 900).Select(i => new LogLine(i, LogApi.T0, new string('a', 900))).ToList();
        var encoded = LogBatchCodec.Encode(bomb);
        encoded.Length.ShouldBeLessThan(64 * 1024, "a small body that decodes past the limit");
        await (await _admin.PostAsync($"/api/v1/logs/{id}/lines", LogApi.Raw(encoded))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "too_large");
    }

    [Fact]
    public async Task Append_LineOverTheLineLimit_KeepsHeadAndTailAndTheTaskSaysSo()
    {
        var id = await _admin.CreateTaskAsync();
        var text = "HEAD" + new string('x', 5000) + "TAIL";
        await _admin.AppendOkAsync(id, [new LogLine(0, LogApi.T0, text), LogApi.Line(1)]);
        var stored = LogApi.LinesOf(await _admin.PageAsync(id))[0].Text;
        stored.ShouldStartWith("HEAD");
        stored.ShouldEndWith("TAIL");
        stored.ShouldContain("grove:");
        Encoding.UTF8.GetByteCount(stored).ShouldBeLessThanOrEqualTo(1024);
        var task = await (await _admin.GetAsync($"/api/v1/logs/{id}")).JsonAsync();
        task.GetProperty("truncated").GetBoolean().ShouldBeTrue();
        task.GetProperty("linesCut").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task Append_JsonForm_IsTheSameLines()
    {
        var id = await _admin.CreateTaskAsync();
        var answer = await (await _admin.PostAsync($"/api/v1/logs/{id}/lines",
            Json("""{"lines":[{"n":0,"t":1767225600000,"text":"hello"},{"n":1,"text":"world"}]}"""))).JsonAsync();
        answer.GetProperty("next").GetInt64().ShouldBe(2);
        var lines = LogApi.LinesOf(await _admin.PageAsync(id));
        lines[0].ShouldBe((0L, 1767225600000L, "hello"));
        lines[1].Text.ShouldBe("world");
        lines[1].T.ShouldBeGreaterThan(0, "a line without a time stamp takes the server's clock");
    }

    [Theory]
    [InlineData("""{"lines":[{"n":0,"text":"a"},{"n":2,"text":"b"}]}""")]
    [InlineData("""{"lines":[{"n":-1,"text":"a"}]}""")]
    [InlineData("""{"lines":[{"n":0,"text":"a\nb"}]}""")]
    [InlineData("""{"lines":[{"n":"0","text":"a"}]}""")]
    [InlineData("""{"lines":{}}""")]
    [InlineData("""{"lines":[""")]
    public async Task Append_BadJsonBatch_Is400InvalidBatch(string body)
    {
        var id = await _admin.CreateTaskAsync();
        await (await _admin.PostAsync($"/api/v1/logs/{id}/lines", Json(body))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_batch");
        (await _admin.PageAsync(id)).GetProperty("total").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Append_OtherMediaType_Is415()
    {
        var id = await _admin.CreateTaskAsync();
        await (await _admin.PostAsync($"/api/v1/logs/{id}/lines", new StringContent("line one\nline two")))
            .ProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }
}
