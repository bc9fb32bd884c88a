using System.Text;
using Grove.Logs;

namespace Grove.Client.Tests.Logs;

/// <summary>The client's task-log calls: tasks, pages, tail, follow over SSE, search, download, and their errors.</summary>
public sealed class LogReadTests : ClientTestBase
{
    private async Task<string> SeedAsync(int count)
    {
        var task = await Admin.CreateLogTaskAsync("seed", ["ci"]);
        for (var first = 0; first < count; first += 5000)
        {
            await Admin.AppendLogLinesAsync(task.Id, [.. Enumerable.Range(first, Math.Min(5000, count - first)).Select(i => new LogLine(i, 1_767_225_600_000 + i, $"line {i}"))]);
        }

        return task.Id;
    }

    [Fact]
    public async Task Tasks_CreateListGetFinishDelete()
    {
        var id = await SeedAsync(3);
        var other = await Admin.CreateLogTaskAsync("other");
        var task = await Admin.GetLogTaskAsync(id);
        task.Name.ShouldBe("seed");
        task.Owner.ShouldBe("admin");
        task.Labels.ShouldBe(["ci"]);
        task.Lines.ShouldBe(3);
        task.Status.ShouldBe(GroveLogStatus.Running);

        var finished = await Admin.FinishLogTaskAsync(id, GroveLogStatus.Succeeded, 0);
        finished.Status.ShouldBe(GroveLogStatus.Succeeded);
        finished.Finished.ShouldNotBeNull();
        (await Admin.ListLogTasksAsync(new GroveLogTaskQuery { Status = GroveLogStatus.Running })).Items.ShouldHaveSingleItem().Id.ShouldBe(other.Id);
        (await Admin.ListLogTasksAsync(new GroveLogTaskQuery { Labels = ["ci"] })).Items.ShouldHaveSingleItem().Id.ShouldBe(id);
        var first = await Admin.ListLogTasksAsync(new GroveLogTaskQuery { Limit = 1 });
        first.Items.ShouldHaveSingleItem().Id.ShouldBe(other.Id);
        (await Admin.ListLogTasksAsync(new GroveLogTaskQuery { Limit = 1, After = first.Next })).Items.ShouldHaveSingleItem().Id.ShouldBe(id);

        await Admin.DeleteLogTaskAsync(id);
        (await ShouldBeRefusedAsync(() => Admin.GetLogTaskAsync(id), 404, GroveErrorCode.NotFound)).IsNotFound.ShouldBeTrue();
    }

    [Fact]
    public async Task ReadAndTail_PagesAtAnyOffset()
    {
        var id = await SeedAsync(12_000);
        var page = await Admin.ReadLogAsync(id, 9_500);
        page.Lines.Count.ShouldBe(1000);
        page.Lines[0].ShouldBe(new LogLine(9_500, 1_767_225_600_000 + 9_500, "line 9500"));
        page.Next.ShouldBe(10_500);
        page.Total.ShouldBe(12_000);
        (await Admin.ReadLogAsync(id, 50_000)).Lines.ShouldBeEmpty();
        (await Admin.TailLogAsync(id, 2)).Lines.Select(l => l.Text).ShouldBe(["line 11998", "line 11999"]);
        await ShouldBeRefusedAsync(() => Admin.ReadLogAsync(id, -1), 400, GroveErrorCode.InvalidRange);
    }

    [Fact]
    public async Task Follow_YieldsStoredAndNewLinesAndEndsWhenTheTaskFinishes()
    {
        var id = await SeedAsync(3);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<string>();
        var follower = Task.Run(async () =>
        {
            await foreach (var line in Admin.FollowLogAsync(id, 1, deadline.Token))
            {
                lock (seen)
                {
                    seen.Add(line.Text);
                }
            }
        });
        await Until.HoldsAsync(() => { lock (seen) { return seen.Count == 2; } }, "the stored lines");
        await Admin.AppendLogLinesAsync(id, [new LogLine(3, 0, "new")]);
        await Until.HoldsAsync(() => { lock (seen) { return seen.Count == 3; } }, "the new line");
        await Admin.FinishLogTaskAsync(id, GroveLogStatus.Succeeded, 0);
        await follower.WaitAsync(deadline.Token);
        seen.ShouldBe(["line 1", "line 2", "new"]);
    }

    [Fact]
    public async Task Search_StreamsMatchesAndRefusesABadPattern()
    {
        var id = await SeedAsync(2000);
        var matches = new List<long>();
        await foreach (var line in Admin.SearchLogAsync(id, new GroveLogSearch { Pattern = "^line 1[0-9]{2}5$", Regex = true, From = 1100, MaxMatches = 3 }))
        {
            matches.Add(line.Number);
        }

        matches.ShouldBe([1105L, 1115L, 1125L]);
        var e = await Should.ThrowAsync<GroveApiException>(async () =>
        {
            await foreach (var _ in Admin.SearchLogAsync(id, new GroveLogSearch { Pattern = "([a-z]", Regex = true }))
            {
            }
        });
        e.Code.ShouldBe(GroveErrorCode.InvalidPattern);
        e.Detail!.ShouldContain("invalid pattern");
    }

    [Fact]
    public async Task Download_StreamsTheWholeTextThroughGzip()
    {
        var id = await SeedAsync(30_000);
        using var text = new MemoryStream();
        var bytes = await Admin.DownloadLogAsync(id, text);
        var expected = string.Concat(Enumerable.Range(0, 30_000).Select(i => $"line {i}\n"));
        Encoding.UTF8.GetString(text.ToArray()).ShouldBe(expected);
        bytes.ShouldBe(Encoding.UTF8.GetByteCount(expected));

        using var part = new MemoryStream();
        await Admin.DownloadLogAsync(id, part, new GroveLogTextOptions { From = 5, To = 7, Timestamps = true });
        Encoding.UTF8.GetString(part.ToArray()).ShouldBe("2026-01-01T00:00:00.005Z line 5\n2026-01-01T00:00:00.006Z line 6\n");
    }

    [Fact]
    public async Task Append_GapAnswer_CarriesTheExpectedLine()
    {
        var id = await SeedAsync(10);
        var e = await ShouldBeRefusedAsync(() => Admin.AppendLogLinesAsync(id, [new LogLine(20, 0, "far")]), 409, GroveErrorCode.Gap);
        e.Expected.ShouldBe(10);
    }
}
