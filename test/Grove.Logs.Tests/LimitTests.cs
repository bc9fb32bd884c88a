using System.Text;

namespace Grove.Logs.Tests;

/// <summary>Past the limits the head and the tail are kept around a visible marker, and the task reports it.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task AppendAsync_LineOverLimit_KeepsHeadAndTailAroundMarker()
    {
        await using var h = await LogHarness.OpenAsync(o => o with { MaxLineBytes = 1000 });
        var task = await h.Logs.CreateAsync("build");
        var line = "HEAD" + new string('x', 5000) + "TAIL";

        await h.Logs.AppendAsync(task.Id, [new LogLine(0, 1, line), new LogLine(1, 2, "short")]);
        var stored = (await h.Logs.ReadAsync(task.Id)).Lines;

        Encoding.UTF8.GetByteCount(stored[0].Text).ShouldBeLessThanOrEqualTo(1000);
        stored[0].Text.ShouldStartWith("HEAD");
        stored[0].Text.ShouldEndWith("TAIL");
        stored[0].Text.ShouldContain("grove:");
        stored[1].Text.ShouldBe("short");
        var info = await h.Logs.GetAsync(task.Id);
        info.LinesCut.ShouldBe(1);
        info.Truncated.ShouldBeTrue();

        // The cut is deterministic: the same batch retried is recognized as already stored.
        (await h.Logs.AppendAsync(task.Id, [new LogLine(0, 1, line)])).Duplicates.ShouldBe(1);
    }

    [Fact]
    public async Task AppendAsync_TaskOverLimit_KeepsHeadAndTailWithMarker_LiveAndArchiveAlike()
    {
        // 64 KiB limit: 32 KiB of head, about 32 KiB of tail in 8 KiB segments; each line is about 100 bytes.
        await using var h = await LogHarness.OpenAsync(o => o with { MaxTaskBytes = 64 * 1024, ArchiveBlockBytes = 4096 });
        var task = await h.Logs.CreateAsync("chatty");
        for (var b = 0; b < 40; b++)
        {
            await h.Logs.AppendAsync(task.Id, LogHarness.BuildLines(b * 100, 100));
        }

        var info = await h.Logs.GetAsync(task.Id);
        var live = await h.ReadAllAsync(task.Id, 333);

        info.Lines.ShouldBe(4000);
        info.DroppedLines.ShouldBeGreaterThan(3000);
        info.Truncated.ShouldBeTrue();
        live[0].ShouldBe(LogHarness.BuildLine(0));
        live[^1].ShouldBe(LogHarness.BuildLine(3999));
        var marker = live.Single(l => l.Text.StartsWith("[grove:", StringComparison.Ordinal));
        marker.Text.ShouldContain(info.DroppedLines.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " lines");
        live.Select(l => l.Number).ShouldBeInOrder(SortDirection.Ascending);
        live.Where(l => l != marker).ShouldAllBe(l => l == LogHarness.BuildLine(l.Number));
        live.Sum(l => (long)Encoding.UTF8.GetByteCount(l.Text)).ShouldBeLessThan(64 * 1024 + 9000);

        // A retried batch whose lines were dropped meanwhile is still a duplicate, not an error.
        (await h.Logs.AppendAsync(task.Id, LogHarness.BuildLines(2000, 100))).Duplicates.ShouldBe(100);

        await h.Logs.FinishAsync(task.Id, LogTaskStatus.Succeeded);
        await h.Logs.ArchivePendingAsync();
        var archived = await h.ReadAllAsync(task.Id, 333);
        archived.ShouldBe(live);
        (await h.Logs.GetAsync(task.Id)).DroppedLines.ShouldBe(info.DroppedLines);
    }

    [Fact]
    public async Task ReadAsync_FromInsideDroppedRange_StartsAtMarker()
    {
        await using var h = await LogHarness.OpenAsync(o => o with { MaxTaskBytes = 16 * 1024 });
        var task = await h.Logs.CreateAsync("chatty");
        for (var b = 0; b < 10; b++)
        {
            await h.Logs.AppendAsync(task.Id, LogHarness.Lines(b * 100, 100, new string('y', 60)));
        }

        var info = await h.Logs.GetAsync(task.Id);
        var page = await h.Logs.ReadAsync(task.Id, 300, 5);

        info.DroppedLines.ShouldBeGreaterThan(0);
        page.Lines[0].Text.ShouldStartWith("[grove:");
        page.Lines[1].Number.ShouldBe(page.Lines[0].Number + 1);
    }
}
