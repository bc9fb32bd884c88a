namespace Grove.Logs.Tests;

/// <summary>The archive: one tree object of compressed blocks, read block by block, verified before the live copy goes.</summary>
public sealed class ArchiveTests
{
    private static async Task<(LogHarness H, string Id)> FinishedAsync(int lines, int blockBytes = 8 * 1024)
    {
        var h = await LogHarness.OpenAsync(o => o with { ArchiveBlockBytes = blockBytes });
        var task = await h.Logs.CreateAsync("build", ["ci", "main"]);
        for (var b = 0; b * 1000 < lines; b++)
        {
            await h.Logs.AppendAsync(task.Id, LogHarness.BuildLines(b * 1000, Math.Min(1000, lines - (b * 1000))));
        }

        await h.Logs.FinishAsync(task.Id, LogTaskStatus.Succeeded, 0);
        return (h, task.Id);
    }

    [Fact]
    public async Task ArchivePendingAsync_FinishedTask_OneTreeObjectAndLiveCopyGone()
    {
        var (h, id) = await FinishedAsync(20_000);
        await using var _ = h;

        (await h.Logs.ArchivePendingAsync()).ShouldBe(1);

        var task = await h.Logs.GetAsync(id);
        task.Storage.ShouldBe(LogStorage.Archived);
        task.Lines.ShouldBe(20_000);
        task.Labels.ShouldBe(["ci", "main"]);
        task.Path.ShouldMatch(@"^/logs/\d{4}/\d{2}/\d{2}/" + id + @"\.log$");
        var obj = await h.Tree.GetAsync(task.Path);
        var text = LogHarness.BuildLines(0, 20_000).Sum(l => l.Text.Length + 1);
        obj.Length.ShouldBeLessThan(text / 4);
        Directory.Exists(Path.Join(h.Data, "logs-live", id)).ShouldBeFalse();
        (await h.ReadAllAsync(id)).ShouldBe(LogHarness.BuildLines(0, 20_000));
    }

    [Fact]
    public async Task RepeatedFinishAfterArchive_SameFinish_ReturnsTheTaskAndAnotherIsFinished()
    {
        var (h, id) = await FinishedAsync(100);
        await using var _ = h;
        (await h.Logs.ArchivePendingAsync()).ShouldBe(1);

        (await h.Logs.FinishAsync(id, LogTaskStatus.Succeeded, 0)).Status.ShouldBe(LogTaskStatus.Succeeded, "a retried finish after the archive");
        var e = await Should.ThrowAsync<LogException>(() => h.Logs.FinishAsync(id, LogTaskStatus.Failed, 1));
        e.Code.ShouldBe(LogErrorCode.Finished);
    }

    [Fact]
    public async Task ReadAsync_Archived_DecompressesOnlyTheBlocksTheRangeTouches()
    {
        var (h, id) = await FinishedAsync(30_000);
        await using var _ = h;
        await h.Logs.ArchivePendingAsync();
        await h.Logs.ReadAsync(id, 0, 1);
        var blocks = h.Logs.Counters.BlocksWritten;
        blocks.ShouldBeGreaterThan(100);

        var before = h.Logs.Counters.BlocksDecompressed;
        var one = await h.Logs.ReadAsync(id, 15_000, 10);
        var afterOne = h.Logs.Counters.BlocksDecompressed;
        var page = await h.Logs.ReadAsync(id, 20_000, 1000);
        var afterPage = h.Logs.Counters.BlocksDecompressed;

        one.Lines.ShouldBe(LogHarness.BuildLines(15_000, 10));
        page.Lines.ShouldBe(LogHarness.BuildLines(20_000, 1000));
        (afterOne - before).ShouldBeLessThanOrEqualTo(2);

        // About 100 bytes a line and 8 KiB blocks: a 1,000-line page spans some 13 blocks of the file's hundreds.
        (afterPage - afterOne).ShouldBeLessThanOrEqualTo(16);
    }

    [Fact]
    public async Task ArchivePendingAsync_CrashMidArchive_LiveKeptAndNextAttemptCompletes()
    {
        var (h, id) = await FinishedAsync(10_000);
        await using var _ = h;
        h.Logs.ArchiveBlockHook = n =>
        {
            if (n == 3)
            {
                throw new IOException("simulated crash after 3 blocks");
            }
        };

        await Should.ThrowAsync<IOException>(() => h.Logs.ArchivePendingAsync());

        (await h.Logs.GetAsync(id)).Storage.ShouldBe(LogStorage.Live);
        (await h.ReadAllAsync(id)).Count.ShouldBe(10_000);

        // After a restart the pending archive starts over and completes.
        await h.RestartAsync();
        (await h.Logs.ArchivePendingAsync()).ShouldBe(1);
        (await h.Logs.GetAsync(id)).Storage.ShouldBe(LogStorage.Archived);
        (await h.ReadAllAsync(id)).ShouldBe(LogHarness.BuildLines(0, 10_000));
    }

    [Fact]
    public async Task ArchivePendingAsync_ArchiveDamagedBeforeVerification_RefusedAndLiveKept()
    {
        var (h, id) = await FinishedAsync(5_000);
        await using var _ = h;
        h.Logs.BeforeVerifyHook = async path =>
        {
            var bytes = await h.Tree.ReadAllBytesAsync(path);
            bytes[100] ^= 0xFF;
            await h.Tree.WriteAsync(path, bytes);
        };

        var e = await Should.ThrowAsync<LogException>(() => h.Logs.ArchivePendingAsync());

        e.Code.ShouldBe(LogErrorCode.Corrupt);
        (await h.Logs.GetAsync(id)).Storage.ShouldBe(LogStorage.Live);
        h.Logs.BeforeVerifyHook = null;
        (await h.Logs.ArchivePendingAsync()).ShouldBe(1);
        (await h.ReadAllAsync(id)).ShouldBe(LogHarness.BuildLines(0, 5_000));
    }

    [Fact]
    public async Task ArchivePendingAsync_FinishedBeforeRestart_ArchivedAfterIt()
    {
        var (h, id) = await FinishedAsync(3_000);
        await using var _ = h;

        await h.RestartAsync();

        (await h.Logs.GetAsync(id)).Status.ShouldBe(LogTaskStatus.Succeeded);
        (await h.Logs.ArchivePendingAsync()).ShouldBe(1);
        (await h.ReadAllAsync(id)).ShouldBe(LogHarness.BuildLines(0, 3_000));
    }

    [Fact]
    public async Task Background_ManyFinishedTasks_AllArchived()
    {
        using var folder = new TempFolder();
        await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = folder.Combine("data") });
        await using var logs = await LogService.OpenAsync(tree, new LogOptions { ArchiveQueueCapacity = 50, SweepInterval = TimeSpan.FromMilliseconds(200) });
        var ids = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            var task = await logs.CreateAsync("job " + i);
            await logs.AppendAsync(task.Id, LogHarness.Lines(0, 20, "job " + i));
            await logs.FinishAsync(task.Id, LogTaskStatus.Succeeded, 0);
            ids.Add(task.Id);
        }

        // The queue holds 50; the sweep picks up the rest from the store.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (logs.Counters.Archived < 300 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        logs.Counters.Archived.ShouldBe(300, $"archive failures: {logs.Counters.ArchiveFailures}");
        foreach (var id in ids.Take(5))
        {
            (await logs.ReadAsync(id)).Storage.ShouldBe(LogStorage.Archived);
        }
    }
}
