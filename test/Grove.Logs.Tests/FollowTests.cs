namespace Grove.Logs.Tests;

/// <summary>Following delivers every line once, in order, as it arrives, and ends after the live-to-archive handover.</summary>
public sealed class FollowTests
{
    [Fact]
    public async Task FollowAsync_WhileAppendingThenArchived_DeliversEveryLineAndEnds()
    {
        await using var h = await LogHarness.OpenAsync(o => o with { ArchiveBlockBytes = 4096 });
        var task = await h.Logs.CreateAsync("build");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new List<LogLine>();
        var firstBatchSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var follower = Task.Run(async () =>
        {
            await foreach (var line in h.Logs.FollowAsync(task.Id, 0, deadline.Token))
            {
                received.Add(line);
                if (line.Number == 99)
                {
                    firstBatchSeen.TrySetResult();
                }
            }
        });

        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(0, 100));
        await firstBatchSeen.Task.WaitAsync(deadline.Token);
        for (var b = 1; b < 30; b++)
        {
            await h.Logs.AppendAsync(task.Id, LogHarness.Lines(b * 100, 100));
        }

        await h.Logs.FinishAsync(task.Id, LogTaskStatus.Succeeded, 0);
        await h.Logs.ArchivePendingAsync();
        await follower.WaitAsync(deadline.Token);

        received.ShouldBe(LogHarness.Lines(0, 3000));
    }

    [Fact]
    public async Task FollowAsync_FromMiddleOfArchivedLog_DeliversTheRestAndEnds()
    {
        await using var h = await LogHarness.OpenAsync(o => o with { ArchiveBlockBytes = 4096 });
        var task = await h.Logs.CreateAsync("build");
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(0, 5000));
        await h.Logs.FinishAsync(task.Id, LogTaskStatus.Succeeded);
        await h.Logs.ArchivePendingAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var rest = await h.Logs.FollowAsync(task.Id, 4000, deadline.Token).CollectAsync(deadline.Token);

        rest.ShouldBe(LogHarness.Lines(4000, 1000));
    }

    [Fact]
    public async Task FollowAsync_HandoverWhileFollowerWaits_EndsWithAllLines()
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(0, 10));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var lines = h.Logs.FollowAsync(task.Id, 0, deadline.Token).GetAsyncEnumerator(deadline.Token);
        for (var i = 0; i < 10; i++)
        {
            (await lines.MoveNextAsync()).ShouldBeTrue();
        }

        // The follower now waits for line 10; the task finishes with two more lines and is archived meanwhile.
        var waiting = lines.MoveNextAsync().AsTask();
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(10, 2));
        await h.Logs.FinishAsync(task.Id, LogTaskStatus.Canceled);
        await h.Logs.ArchivePendingAsync();

        (await waiting).ShouldBeTrue();
        lines.Current.Number.ShouldBe(10);
        (await lines.MoveNextAsync()).ShouldBeTrue();
        lines.Current.Number.ShouldBe(11);
        (await lines.MoveNextAsync()).ShouldBeFalse();
    }

    [Fact]
    public async Task FollowAsync_NegativeFrom_InvalidRange()
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");

        Should.Throw<LogException>(() => h.Logs.FollowAsync(task.Id, -5)).Code.ShouldBe(LogErrorCode.InvalidRange);
    }
}
