namespace Grove.Logs.Tests;

/// <summary>Appends are idempotent by line number: retries apply once, gaps and mismatching overlaps are refused whole.</summary>
public sealed class AppendTests
{
    [Fact]
    public async Task AppendAsync_RetriedBatch_AppliedOnce()
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");
        var batch = LogHarness.Lines(0, 50);

        var first = await h.Logs.AppendAsync(task.Id, batch);
        var retry = await h.Logs.AppendAsync(task.Id, batch);

        first.ShouldBe(new AppendResult(50, 0, 50));
        retry.ShouldBe(new AppendResult(0, 50, 50));
        (await h.ReadAllAsync(task.Id)).ShouldBe(batch);
    }

    [Fact]
    public async Task JsonAppendRetry_UnstampedLines_StampedOnceAndRetryMatches()
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");
        List<LogLine> batch = [new(0, LogLine.Unstamped, "a"), new(1, LogLine.Unstamped, "b")];
        var stamped = h.Clock.GetUtcNow().ToUnixTimeMilliseconds();

        var first = await h.Logs.AppendAsync(task.Id, batch);
        h.Clock.Advance(TimeSpan.FromSeconds(3));
        var retry = await h.Logs.AppendAsync(task.Id, batch);

        first.ShouldBe(new AppendResult(2, 0, 2));
        retry.ShouldBe(new AppendResult(0, 2, 2));
        (await h.ReadAllAsync(task.Id)).ShouldBe([new(0, stamped, "a"), new(1, stamped, "b")]);
        var e = await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync(task.Id, [new(1, LogLine.Unstamped, "c")]));
        e.Code.ShouldBe(LogErrorCode.OverlapMismatch);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(long.MaxValue)]
    [InlineData(LogLine.MaxTimestamp + 1)]
    public async Task JsonAppend_BadTimestamp_RefusedAsInvalidTime(long t)
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");

        var e = await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync(task.Id, [new(0, 1, "ok"), new(1, t, "bad")]));

        e.Code.ShouldBe(LogErrorCode.InvalidTime);
        (await h.Logs.GetAsync(task.Id)).Lines.ShouldBe(0);
    }

    [Fact]
    public async Task AppendAsync_Gap_RefusedWithExpectedOffset()
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(0, 10));

        var e = await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync(task.Id, LogHarness.Lines(15, 5)));

        e.Code.ShouldBe(LogErrorCode.Gap);
        e.Expected.ShouldBe(10);
        (await h.Logs.GetAsync(task.Id)).Lines.ShouldBe(10);

        // The client resends from the offset it was given, and the log is whole.
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(e.Expected!.Value, 10));
        (await h.ReadAllAsync(task.Id)).ShouldBe(LogHarness.Lines(0, 20));
    }

    [Fact]
    public async Task AppendAsync_OverlapThatMatches_StoresOnlyTheNewLines()
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(0, 30));

        var result = await h.Logs.AppendAsync(task.Id, LogHarness.Lines(20, 30));

        result.ShouldBe(new AppendResult(20, 10, 50));
        (await h.ReadAllAsync(task.Id)).ShouldBe(LogHarness.Lines(0, 50));
    }

    [Theory]
    [InlineData("other text", 0)]
    [InlineData(null, 1)]
    public async Task AppendAsync_OverlapThatDiffers_RefusedAndNothingApplied(string? text, long timeShift)
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(0, 30));
        var batch = LogHarness.Lines(25, 20);
        batch[2] = batch[2] with { Text = text ?? batch[2].Text, Timestamp = batch[2].Timestamp + timeShift };

        var e = await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync(task.Id, batch));

        e.Code.ShouldBe(LogErrorCode.OverlapMismatch);
        e.Expected.ShouldBe(30);
        (await h.ReadAllAsync(task.Id)).ShouldBe(LogHarness.Lines(0, 30));
    }

    [Fact]
    public async Task AppendAsync_MalformedBatches_RefusedWithStableCodes()
    {
        await using var h = await LogHarness.OpenAsync(o => o with { MaxBatchLines = 100, MaxBatchBytes = 10_000 });
        var task = await h.Logs.CreateAsync("build");
        var skipping = new List<LogLine> { new(0, 1, "a"), new(2, 2, "b") };
        var newline = new List<LogLine> { new(0, 1, "a\nb") };
        var negative = new List<LogLine> { new(-1, 1, "a") };

        (await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync(task.Id, skipping))).Code.ShouldBe(LogErrorCode.InvalidBatch);
        (await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync(task.Id, newline))).Code.ShouldBe(LogErrorCode.InvalidBatch);
        (await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync(task.Id, negative))).Code.ShouldBe(LogErrorCode.InvalidBatch);
        (await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync(task.Id, LogHarness.Lines(0, 101)))).Code.ShouldBe(LogErrorCode.TooLarge);
        (await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync(task.Id, [new LogLine(0, 1, new string('x', 10_001))])))
            .Code.ShouldBe(LogErrorCode.TooLarge);
        (await h.Logs.GetAsync(task.Id)).Lines.ShouldBe(0);
    }

    [Fact]
    public async Task AppendAsync_UnknownOrMalformedTask_NotFound()
    {
        await using var h = await LogHarness.OpenAsync();

        (await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync("01hzzzzzzzzzzzzzzzzzzzzzzz", LogHarness.Lines(0, 1))))
            .Code.ShouldBe(LogErrorCode.NotFound);
        (await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync("../../etc/passwd", LogHarness.Lines(0, 1))))
            .Code.ShouldBe(LogErrorCode.NotFound);
    }

    [Fact]
    public async Task AppendAsync_AfterFinishAndAfterArchive_Finished()
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(0, 5));
        var done = await h.Logs.FinishAsync(task.Id, LogTaskStatus.Failed, 2);

        done.Status.ShouldBe(LogTaskStatus.Failed);
        done.ExitCode.ShouldBe(2);
        (await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync(task.Id, LogHarness.Lines(5, 1)))).Code.ShouldBe(LogErrorCode.Finished);
        (await Should.ThrowAsync<LogException>(() => h.Logs.HeartbeatAsync(task.Id))).Code.ShouldBe(LogErrorCode.Finished);

        await h.Logs.ArchivePendingAsync();
        (await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync(task.Id, LogHarness.Lines(5, 1)))).Code.ShouldBe(LogErrorCode.Finished);
        (await Should.ThrowAsync<LogException>(() => h.Logs.FinishAsync(task.Id, LogTaskStatus.Succeeded))).Code.ShouldBe(LogErrorCode.Finished);

        // Repeating the same finish (a retried request) is not an error.
        (await h.Logs.FinishAsync(task.Id, LogTaskStatus.Failed, 2)).Storage.ShouldBe(LogStorage.Archived);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentTasks_EachLogWhole()
    {
        await using var h = await LogHarness.OpenAsync();
        var tasks = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => h.Logs.CreateAsync("t" + i)));

        await Task.WhenAll(tasks.Select(async t =>
        {
            for (var b = 0; b < 20; b++)
            {
                await h.Logs.AppendAsync(t.Id, LogHarness.Lines(b * 100, 100, t.Name));
            }
        }));

        foreach (var t in tasks)
        {
            (await h.ReadAllAsync(t.Id)).ShouldBe(LogHarness.Lines(0, 2000, t.Name));
        }
    }
}
