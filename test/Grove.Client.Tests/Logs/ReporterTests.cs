using Grove.Logs;

namespace Grove.Client.Tests.Logs;

/// <summary>GroveLogReporter against a real server: batching, retries applied once, gaps resent, queue policies, flushing, spill.</summary>
public sealed class ReporterTests : ClientTestBase
{
    private static readonly GroveLogReporterOptions Fast = new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        MaxBatchDelay = TimeSpan.FromMilliseconds(20),
    };

    private async Task<List<LogLine>> StoredAsync(string id)
    {
        var lines = new List<LogLine>();
        while (true)
        {
            var page = await Admin.ReadLogAsync(id, lines.Count, 10_000);
            lines.AddRange(page.Lines);
            if (page.Lines.Count == 0)
            {
                return lines;
            }
        }
    }

    private async Task<(GroveLogReporter Reporter, FaultyHandler Handler)> StartAsync(GroveLogReporterOptions options, Uri? server = null)
    {
        var handler = new FaultyHandler();
        var client = handler.ClientOf(server ?? Server.Address, Admin.Token);
        return (await GroveLogReporter.StartAsync(client, "reported", options), handler);
    }

    [Fact]
    public async Task Write_ManyLines_ArriveInOrderInBatchesByCount()
    {
        var (log, handler) = await StartAsync(Fast with { MaxBatchLines = 100, MaxBatchDelay = TimeSpan.FromSeconds(1) });
        for (var i = 0; i < 1050; i++)
        {
            log.Write($"line {i}");
        }

        (await log.FlushAsync()).ShouldBeTrue();
        var stored = await StoredAsync(log.TaskId);
        stored.Select(l => l.Text).ShouldBe(Enumerable.Range(0, 1050).Select(i => $"line {i}"));
        stored.Select(l => l.Number).ShouldBe(Enumerable.Range(0, 1050).Select(i => (long)i));
        handler.Batches.ShouldAllBe(b => b.Count <= 100);
        handler.Batches.Count.ShouldBeGreaterThanOrEqualTo(11);
        log.Stats.Acknowledged.ShouldBe(1050);
        await log.DisposeAsync();
    }

    [Fact]
    public async Task Write_LongLines_AreBatchedByBytes()
    {
        var (log, handler) = await StartAsync(Fast with { MaxBatchBytes = 1000 });
        for (var i = 0; i < 100; i++)
        {
            log.Write(new string((char)('a' + (i % 26)), 99));
        }

        (await log.FlushAsync()).ShouldBeTrue();
        handler.Batches.ShouldAllBe(b => b.Sum(l => l.Text.Length) <= 1000);
        (await StoredAsync(log.TaskId)).Count.ShouldBe(100);
        await log.DisposeAsync();
    }

    [Fact]
    public async Task Write_OneLine_IsSentAfterTheBatchDelayWithoutAFlush()
    {
        var (log, _) = await StartAsync(Fast with { MaxBatchDelay = TimeSpan.FromMilliseconds(50) });
        log.Write("alone");
        await Until.HoldsAsync(async () => (await Admin.ReadLogAsync(log.TaskId)).Lines.Count == 1, "the line arrives on its own");
        await log.DisposeAsync();
    }

    [Fact]
    public async Task Write_TextWithLineBreaks_IsOneLogLinePerLine()
    {
        var (log, _) = await StartAsync(Fast);
        log.Write("one\ntwo\r\nthree\n");
        log.Write("");
        log.Write("tab\tand \u001b[31mred\u001b[0m");
        (await log.FlushAsync()).ShouldBeTrue();
        (await StoredAsync(log.TaskId)).Select(l => l.Text).ShouldBe(["one", "two", "three", "", "tab\tand \u001b[31mred\u001b[0m"]);
        await log.DisposeAsync();
    }

    [Fact]
    public async Task LostAnswer_RetriedBatchIsAppliedOnce()
    {
        var (log, handler) = await StartAsync(Fast);
        handler.LoseAnswers(2);
        for (var i = 0; i < 500; i++)
        {
            log.Write($"line {i}");
        }

        (await log.FlushAsync()).ShouldBeTrue();
        var stored = await StoredAsync(log.TaskId);
        stored.Select(l => l.Text).ShouldBe(Enumerable.Range(0, 500).Select(i => $"line {i}"), "each line once although batches were sent twice");
        log.Stats.Retries.ShouldBeGreaterThanOrEqualTo(2);
        log.Stats.Lost.ShouldBe(0);
        await log.DisposeAsync();
    }

    [Fact]
    public async Task ServerErrors_AreRetriedWithBackoffUntilAccepted()
    {
        var (log, handler) = await StartAsync(Fast);
        handler.Unavailable(4);
        log.Write("survives");
        (await log.FlushAsync()).ShouldBeTrue();
        (await StoredAsync(log.TaskId)).ShouldHaveSingleItem().Text.ShouldBe("survives");
        log.Stats.Retries.ShouldBe(4);
        await log.DisposeAsync();
    }

    [Fact]
    public async Task Gap_ServerLostAnAcknowledgedBatch_ResendsFromTheServersOffset()
    {
        var (log, handler) = await StartAsync(Fast with { MaxBatchLines = 10 });
        handler.ForgetBatch(1);
        for (var i = 0; i < 30; i++)
        {
            log.Write($"line {i}");
        }

        (await log.FlushAsync()).ShouldBeTrue();
        var stored = await StoredAsync(log.TaskId);
        stored.Select(l => l.Text).ShouldBe(Enumerable.Range(0, 30).Select(i => $"line {i}"));
        handler.Batches.Count(b => b[0].Number == 10).ShouldBe(2, "the forgotten batch was sent again after the gap answer");
        log.Stats.Lost.ShouldBe(0);
        await log.DisposeAsync();
    }

    [Fact]
    public async Task QueueFull_Drop_CountsTheDropsInAMarkerLine()
    {
        var (log, handler) = await StartAsync(Fast with { QueueBytes = 1000, QueueFull = GroveLogQueueFullPolicy.Drop });
        handler.Down = true;
        for (var i = 0; i < 100; i++)
        {
            log.Write($"{i:D3} " + new string('x', 96));
        }

        var dropped = log.Stats.Dropped;
        dropped.ShouldBeGreaterThan(80);
        handler.Down = false;
        (await log.FlushAsync()).ShouldBeTrue();
        log.Write("after the outage");
        (await log.FlushAsync()).ShouldBeTrue();
        var texts = (await StoredAsync(log.TaskId)).Select(l => l.Text).ToList();
        texts[^2].ShouldBe($"[grove: {dropped:N0} lines dropped here: the reporter's queue was full]");
        texts[^1].ShouldBe("after the outage");
        texts.Count.ShouldBe(100 - (int)dropped + 2);
        await log.DisposeAsync();
    }

    [Fact]
    public async Task QueueFull_Wait_BlocksTheWriterUntilThereIsRoomAndLosesNothing()
    {
        var (log, handler) = await StartAsync(Fast with { QueueBytes = 1000, QueueFull = GroveLogQueueFullPolicy.Wait });
        handler.Down = true;
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                log.Write($"{i:D3} " + new string('x', 96));
            }
        });
        await Until.HoldsAsync(() => log.Stats.Retries >= 3, "the sender failed a few times");
        writer.IsCompleted.ShouldBeFalse("the writer waits for room");
        handler.Down = false;
        await writer.WaitAsync(TimeSpan.FromSeconds(60));
        (await log.FlushAsync()).ShouldBeTrue();
        (await StoredAsync(log.TaskId)).Count.ShouldBe(50);
        log.Stats.Dropped.ShouldBe(0);
        await log.DisposeAsync();
    }

    [Fact]
    public async Task Dispose_DeliversWhatIsQueued()
    {
        var (log, _) = await StartAsync(Fast with { MaxBatchDelay = TimeSpan.FromSeconds(1) });
        for (var i = 0; i < 2000; i++)
        {
            log.Write($"line {i}");
        }

        await log.DisposeAsync();
        (await StoredAsync(log.TaskId)).Count.ShouldBe(2000);
        log.Write("after dispose is dropped, not thrown");
        log.Stats.Dropped.ShouldBe(1);
    }

    [Fact]
    public async Task Finish_FlushesThenRecordsStatusAndExitCode()
    {
        var (log, _) = await StartAsync(Fast);
        log.Write("done soon");
        (await log.FinishAsync(GroveLogStatus.Failed, 7)).ShouldBeTrue();
        var task = await Admin.GetLogTaskAsync(log.TaskId);
        task.Status.ShouldBe(GroveLogStatus.Failed);
        task.ExitCode.ShouldBe(7);
        task.Lines.ShouldBe(1);
        await log.DisposeAsync();
    }

    [Fact]
    public async Task TaskFinishedElsewhere_ReporterStopsWithoutThrowing()
    {
        var (log, _) = await StartAsync(Fast);
        log.Write("first");
        (await log.FlushAsync()).ShouldBeTrue();
        await Admin.FinishLogTaskAsync(log.TaskId, GroveLogStatus.Canceled);
        log.Write("refused");
        (await log.FlushAsync()).ShouldBeFalse();
        log.Stats.Stopped.ShouldBeTrue();
        log.Stats.LastError!.ShouldStartWith("finished");
        log.Write("dropped quietly");
        log.Stats.Dropped.ShouldBe(1);
        await log.DisposeAsync();
    }

    [Fact]
    public async Task QuietTask_IsKeptAliveWithHeartbeats()
    {
        var (log, handler) = await StartAsync(Fast with { HeartbeatInterval = TimeSpan.FromMilliseconds(50) });
        await Until.HoldsAsync(() => handler.Heartbeats >= 2, "heartbeats while nothing is written");
        await log.DisposeAsync();
    }

    [Fact]
    public async Task Spill_ServerRestartedDuringTheWrites_LosesNothing()
    {
        using var spill = new TempFolder();
        // Note that the server comes back on a new port behind a relay that keeps the address: a restart on the port it
        // had would race every other process on the machine for that port while it is free.
        await using var relay = new PortRelay(Server.Address.Port);
        var (log, _) = await StartAsync(Fast with { QueueBytes = 4096, SpillDirectory = spill.Path, MaxBatchLines = 50 }, relay.Address);
        for (var i = 0; i < 200; i++)
        {
            log.Write($"before {i}");
        }

        (await log.FlushAsync()).ShouldBeTrue();
        relay.Target = null;
        await Server.Server.StopAsync();
        for (var i = 0; i < 3000; i++)
        {
            log.Write($"during {i} " + new string('.', 40));
        }

        log.Stats.SpilledBytes.ShouldBeGreaterThan(0, "what the queue cannot hold went to disk");
        Directory.GetFiles(spill.Path).ShouldHaveSingleItem();
        await using var again = await Grove.Server.GroveServer.StartAsync(Server.Options);
        relay.Target = again.Address.Port;
        for (var i = 0; i < 100; i++)
        {
            log.Write($"after {i}");
        }

        (await log.FlushAsync()).ShouldBeTrue();
        using var client = new GroveClient(again.Address, Admin.Token);
        var total = (await client.GetLogTaskAsync(log.TaskId)).Lines;
        total.ShouldBe(3300);
        var texts = new List<string>();
        for (long from = 0; from < total; from += 1000)
        {
            texts.AddRange((await client.ReadLogAsync(log.TaskId, from)).Lines.Select(l => l.Text));
        }

        texts.ShouldBe([
            .. Enumerable.Range(0, 200).Select(i => $"before {i}"),
            .. Enumerable.Range(0, 3000).Select(i => $"during {i} " + new string('.', 40)),
            .. Enumerable.Range(0, 100).Select(i => $"after {i}")]);
        log.Stats.Lost.ShouldBe(0);
        log.Stats.Dropped.ShouldBe(0);
        await log.DisposeAsync();
        Directory.GetFiles(spill.Path).ShouldBeEmpty("the spill file goes with the reporter");
    }
}
