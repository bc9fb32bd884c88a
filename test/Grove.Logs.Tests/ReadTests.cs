using System.Text;

namespace Grove.Logs.Tests;

/// <summary>Paging, tail and download give the same answers from the live copy and from the archive.</summary>
public sealed class ReadTests
{
    [Fact]
    public async Task ReadAsync_LiveThenArchived_SameAnswers()
    {
        await using var h = await LogHarness.OpenAsync(o => o with { ArchiveBlockBytes = 8 * 1024 });
        var task = await h.Logs.CreateAsync("build");
        for (var b = 0; b < 25; b++)
        {
            await h.Logs.AppendAsync(task.Id, LogHarness.BuildLines(b * 400, 400));
        }

        await h.Logs.FinishAsync(task.Id, LogTaskStatus.Succeeded, 0);
        var live = await SnapshotAsync(h, task.Id);
        live.Storage.ShouldBe(LogStorage.Live);

        (await h.Logs.ArchivePendingAsync()).ShouldBe(1);
        var archived = await SnapshotAsync(h, task.Id);

        archived.Storage.ShouldBe(LogStorage.Archived);
        archived.Pages.ShouldBe(live.Pages);
        archived.Tail.ShouldBe(live.Tail);
        archived.Text.ShouldBe(live.Text);
        archived.Matches.ShouldBe(live.Matches);
        archived.Pages[0].Count.ShouldBe(1000);
        live.Text.Split('\n').Length.ShouldBe(10_001);
    }

    private static async Task<Snapshot> SnapshotAsync(LogHarness h, string id)
    {
        var pages = new List<List<LogLine>>();
        LogStorage storage = default;
        foreach (var from in new long[] { 0, 1, 399, 4321, 9000, 9999 })
        {
            var page = await h.Logs.ReadAsync(id, from);
            page.Total.ShouldBe(10_000);
            page.Finished.ShouldBeTrue();
            storage = page.Storage;
            pages.Add([.. page.Lines]);
        }

        var tail = (await h.Logs.TailAsync(id, 50)).Lines.ToList();
        using var text = new MemoryStream();
        await h.Logs.WriteTextAsync(id, text, new LogTextOptions { Timestamps = true });
        var matches = await h.Logs.SearchAsync(id, new LogSearch { Pattern = "warning CS1", MaxMatches = 5000 }).CollectAsync();
        return new Snapshot(pages, tail, Encoding.UTF8.GetString(text.ToArray()), matches, storage);
    }

    private sealed record Snapshot(List<List<LogLine>> Pages, List<LogLine> Tail, string Text, List<LogLine> Matches, LogStorage Storage);

    [Fact]
    public async Task ReadAsync_FromPastTheEnd_EmptyPageWithTotal()
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(0, 10));

        var page = await h.Logs.ReadAsync(task.Id, 500);

        page.Lines.ShouldBeEmpty();
        page.Total.ShouldBe(10);
        page.Finished.ShouldBeFalse();
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(0, 0)]
    [InlineData(0, 10_001)]
    public async Task ReadAsync_BadRange_InvalidRange(long from, int limit)
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");

        (await Should.ThrowAsync<LogException>(() => h.Logs.ReadAsync(task.Id, from, limit))).Code.ShouldBe(LogErrorCode.InvalidRange);
    }

    [Fact]
    public async Task ReadAsync_DefaultPage_IsOneThousandLines()
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(0, 2500));

        var page = await h.Logs.ReadAsync(task.Id, 1200);

        page.Lines.Count.ShouldBe(1000);
        page.Lines[0].Number.ShouldBe(1200);
        page.Next.ShouldBe(2200);
    }

    [Fact]
    public async Task WriteTextAsync_Range_WritesThoseLinesWithTimestamps()
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");
        await h.Logs.AppendAsync(task.Id, [new LogLine(0, LogHarness.T0, "first"), new LogLine(1, LogHarness.T0 + 1500, "second")]);
        using var text = new MemoryStream();

        await h.Logs.WriteTextAsync(task.Id, text, new LogTextOptions { Timestamps = true, From = 1 });

        Encoding.UTF8.GetString(text.ToArray()).ShouldBe("2023-11-14T22:13:21.500Z second\n");
    }

    [Fact]
    public async Task GetAsync_UnknownTask_NotFound()
    {
        await using var h = await LogHarness.OpenAsync();

        (await Should.ThrowAsync<LogException>(() => h.Logs.GetAsync("01hzzzzzzzzzzzzzzzzzzzzzzz"))).Code.ShouldBe(LogErrorCode.NotFound);
        (await Should.ThrowAsync<LogException>(() => h.Logs.ReadAsync("01hzzzzzzzzzzzzzzzzzzzzzzz"))).Code.ShouldBe(LogErrorCode.NotFound);
    }
}
