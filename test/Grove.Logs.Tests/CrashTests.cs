using System.Diagnostics;
using System.Globalization;

namespace Grove.Logs.Tests;

/// <summary>Acknowledged lines survive <c>kill -9</c>; a torn tail is detected by length and checksum and cut on recovery.</summary>
public sealed class CrashTests
{
    [Theory]
    [InlineData(60)]
    [InlineData(311)]
    public async Task Kill9_DuringAppends_AcknowledgedLinesSurviveAndAppendsResume(int killAfterAcks)
    {
        using var folder = new TempFolder();
        var data = folder.Combine("data");
        var writer = Path.Combine(AppContext.BaseDirectory, "Grove.LogCrashWriter.dll");
        var psi = new ProcessStartInfo("dotnet", [writer, data]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var ids = new Dictionary<int, string>();
        var acked = new Dictionary<int, long>();
        using (var child = Process.Start(psi)!)
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            var acks = 0;
            while (acks < killAfterAcks)
            {
                var line = await child.StandardOutput.ReadLineAsync().WaitAsync(deadline - DateTime.UtcNow)
                    ?? throw new InvalidOperationException("writer exited: " + await child.StandardError.ReadToEndAsync());
                acks += Record(line) ? 1 : 0;
            }

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
            while (await child.StandardOutput.ReadLineAsync() is { } rest)
            {
                Record(rest);
            }
        }

        bool Record(string line)
        {
            var parts = line.Split(' ');
            var t = int.Parse(parts[1], CultureInfo.InvariantCulture);
            if (parts[0] == "task")
            {
                ids[t] = parts[2];
                return false;
            }

            acked[t] = long.Parse(parts[2], CultureInfo.InvariantCulture);
            return true;
        }

        await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = data });
        await using var logs = await LogService.OpenAsync(tree, new LogOptions { Background = false, MaxTaskBytes = 256 * 1024 });
        foreach (var (t, id) in ids)
        {
            var task = await logs.GetAsync(id);
            var ack = acked.GetValueOrDefault(t);
            task.Lines.ShouldBeGreaterThanOrEqualTo(ack, $"task {t}");

            // Every kept line reads back exactly as written (the tail past the limit rotates, so check what is kept).
            long from = 0;
            while (true)
            {
                var page = await logs.ReadAsync(id, from, 1000);
                foreach (var line in page.Lines.Where(l => !l.Text.StartsWith("[grove:", StringComparison.Ordinal)))
                {
                    line.Text.ShouldBe($"line {line.Number} {t} " + new string('x', (int)(line.Number % 90)));
                    line.Timestamp.ShouldBe(1_700_000_000_000 + line.Number);
                }

                if (page.Lines.Count == 0)
                {
                    break;
                }

                from = page.Next;
            }

            // The store takes appends again where it left off.
            var next = task.Lines;
            (await logs.AppendAsync(id, [new LogLine(next, 1, "after restart")])).Next.ShouldBe(next + 1);
            (await logs.ReadAsync(id, next, 1)).Lines.Single().Text.ShouldBe("after restart");
        }
    }

    [Fact]
    public async Task Open_TornTailAfterLastRecord_CutAndAppendsContinue()
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(0, 100));
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(100, 100));
        await h.Logs.DisposeAsync();
        var segment = Directory.GetFiles(Path.Join(h.Data, "logs-live", task.Id), "*.seg").Single();
        var good = new FileInfo(segment).Length;

        // A record header promising more bytes than follow: a write cut off by the crash.
        await using (var f = new FileStream(segment, FileMode.Append))
        {
            f.Write([200, 0, 0, 0, 1, 2, 3, 4, 1, 9, 9, 9]);
        }

        await h.RestartAsync();

        new FileInfo(segment).Length.ShouldBe(good);
        (await h.ReadAllAsync(task.Id)).ShouldBe(LogHarness.Lines(0, 200));
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(200, 10));
        await h.RestartAsync();
        (await h.ReadAllAsync(task.Id)).ShouldBe(LogHarness.Lines(0, 210));
    }

    [Fact]
    public async Task Open_LastRecordFailsChecksum_RecordCutEarlierLinesKept()
    {
        await using var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(0, 100));
        await h.Logs.AppendAsync(task.Id, LogHarness.Lines(100, 100));
        await h.Logs.DisposeAsync();
        var segment = Directory.GetFiles(Path.Join(h.Data, "logs-live", task.Id), "*.seg").Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        bytes[^5] ^= 0x55;
        await File.WriteAllBytesAsync(segment, bytes);

        await h.RestartAsync();

        (await h.Logs.GetAsync(task.Id)).Lines.ShouldBe(100);
        (await h.ReadAllAsync(task.Id)).ShouldBe(LogHarness.Lines(0, 100));
        (await Should.ThrowAsync<LogException>(() => h.Logs.AppendAsync(task.Id, LogHarness.Lines(150, 1)))).Expected.ShouldBe(100);
    }

    [Fact]
    public async Task AppendAsync_FlushToDisk_SyncedSegmentsReadBackAfterRestart()
    {
        await using var h = await LogHarness.OpenAsync(o => o with { FlushToDisk = true, MaxTaskBytes = 32 * 1024 });
        var task = await h.Logs.CreateAsync("durable");
        for (var b = 0; b < 5; b++)
        {
            await h.Logs.AppendAsync(task.Id, LogHarness.Lines(b * 50, 50));
        }

        await h.Logs.FinishAsync(task.Id, LogTaskStatus.Succeeded);
        var before = await h.ReadAllAsync(task.Id);
        await h.RestartAsync();

        (await h.ReadAllAsync(task.Id)).ShouldBe(before);
        (await h.Logs.GetAsync(task.Id)).Status.ShouldBe(LogTaskStatus.Succeeded);
    }
}
