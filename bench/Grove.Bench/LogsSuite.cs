using System.Diagnostics;
using System.Globalization;
using Grove.Logs;
using Grove.Tree;

namespace Grove.Bench;

/// <summary>
/// Task logs, side by side in one run: ingest of <c>--n</c> build-log lines in batches of 1,000 (Grove's engine vs the
/// seed's row-per-line SQL table, rows per chunk, and a plain buffered file), random 1,000-line pages of a
/// <c>--read</c>-line log live and archived (vs the row-per-line table), archive size vs <c>gzip -6</c>, archiving
/// many small tasks, and follow latency.
/// </summary>
internal static class LogsSuite
{
    private const int Batch = 1000;
    private const int Pages = 2000;

    public static async Task<int> RunAsync(BenchArgs a, long readLines)
    {
        Directory.CreateDirectory(a.Dir);
        var n = (long)a.N;
        Console.WriteLine($"task logs: ingest {n:N0} lines, reads over {readLines:N0} lines, in {a.Dir}");
        await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = Path.Combine(a.Dir, "grove") });
        await using var logs = await LogService.OpenAsync(tree, new LogOptions { Background = false, FlushToDisk = true, MaxTaskBytes = 4L << 30 });
        var rows = await IngestSuiteAsync(a, logs, n);
        Sync();
        await ArchiveManyAsync(logs);
        await FollowLatencyAsync(logs);

        // The ingest's lines are garbage now; collect them so the page timings do not pay for that heap.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var read = new Report($"Task logs: a page of 1,000 lines at a random offset ({Pages:N0} pages)");
        var big = await logs.CreateAsync("big");
        var sw = Stopwatch.StartNew();
        for (long first = 0; first < readLines; first += Batch)
        {
            await logs.AppendAsync(big.Id, BuildLog.Batch(first, Batch));
        }

        Console.WriteLine($"  ingested {readLines:N0} lines for reads in {sw.Elapsed.TotalSeconds:0.0} s");
        var livePages = await PagesAsync(logs, big.Id, readLines);
        using var pageCmd = LogPeers.PageCommand(rows);
        var rowPages = Percentiles(Enumerable.Range(0, Pages).Select(i => Time(() => LogPeers.SqlitePage(pageCmd, Offset(i, n)))).ToList());
        read.Add($"live, p50 ms ({readLines:N0} lines) vs rows ({n:N0})", livePages.P50, rowPages.P50, "ms", higherIsBetter: false);
        read.Add($"live, p99 ms ({readLines:N0} lines) vs rows ({n:N0})", livePages.P99, rowPages.P99, "ms", higherIsBetter: false);

        await logs.FinishAsync(big.Id, LogTaskStatus.Succeeded, 0);
        sw.Restart();
        await logs.ArchivePendingAsync();
        var archiveSeconds = sw.Elapsed.TotalSeconds;
        var archived = await PagesAsync(logs, big.Id, readLines);
        read.Add($"archived, p50 ms ({readLines:N0} lines) vs rows ({n:N0})", archived.P50, rowPages.P50, "ms", higherIsBetter: false);
        read.Add($"archived, p99 ms ({readLines:N0} lines) vs rows ({n:N0})", archived.P99, rowPages.P99, "ms", higherIsBetter: false);
        read.Print();
        rows.Dispose();

        await SizesAsync(a, logs, tree, big.Id, archiveSeconds, readLines);
        return 0;
    }

    private static async Task<Microsoft.Data.Sqlite.SqliteConnection> IngestSuiteAsync(BenchArgs a, LogService logs, long n)
    {
        Microsoft.Data.Sqlite.SqliteConnection rows = null!;
        var ingest = new Report($"Task logs: ingest {n:N0} build-log lines (~100 B)");

        // Lines are made before the clock starts, so every side measures storing, not generating.
        var source = Enumerable.Range(0, (int)((n + Batch - 1) / Batch)).Select(b => BuildLog.Batch((long)b * Batch, (int)Math.Min(Batch, n - ((long)b * Batch)))).ToArray();
        var noFlush = await OpenNoFlushAsync(a);
        foreach (var per in new[] { 1000, 10_000 })
        {
            // The disk's fsync latency swings from run to run: alternate the contenders over three rounds, take medians.
            var batches = Regroup(source, per);
            var runs = new Dictionary<string, List<double>>();
            void Add(string what, double rate) => (runs.TryGetValue(what, out var l) ? l : runs[what] = []).Add(rate);
            for (var round = 0; round < 3; round++)
            {
                var contenders = new List<(string, Func<Task<double>>)>
                {
                    ("grove-fsync", () => IngestAsync(logs, batches)),
                    ("grove", () => IngestAsync(noFlush, batches)),
                    ("rows", () => Task.FromResult(RowsOnce(a, batches, round == 2 && per == 1000 ? r => rows = r : null))),
                    ("chunks", () => Task.FromResult(Fresh(Path.Combine(a.Dir, "chunks.db"), f => LogPeers.SqliteRowPerChunk(f, batches)))),
                    ("file", () => Task.FromResult(Fresh(Path.Combine(a.Dir, "plain.log"), f => LogPeers.BufferedFile(f, batches)))),
                };
                for (var i = 0; i < contenders.Count; i++)
                {
                    var (what, run) = contenders[(i + round) % contenders.Count];
                    Add(what, await run());
                }
            }

            double M(string what) => Median(runs[what]);
            ingest.Add($"{per:N0}-line batches, fsync each: vs SQLite row per line (the seed)", M("grove-fsync"), M("rows"), "lines/s");
            ingest.Add($"{per:N0}-line batches, fsync each: vs SQLite row per chunk", M("grove-fsync"), M("chunks"), "lines/s");
            ingest.Add($"{per:N0}-line batches, fsync each: vs buffered file, one fsync at the end (the limit)", M("grove-fsync"), M("file"), "lines/s");
            ingest.Add($"{per:N0}-line batches, default (kill -9 safe): vs SQLite row per line (the seed)", M("grove"), M("rows"), "lines/s");
            ingest.Add($"{per:N0}-line batches, default (kill -9 safe): vs buffered file (the limit)", M("grove"), M("file"), "lines/s");
        }

        ingest.Print();

        return rows;
    }

    private static void Sync()
    {
        using var p = Process.Start(new ProcessStartInfo("sync"))!;
        p.WaitForExit();
    }

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static double Fresh(string file, Func<string, double> run)
    {
        foreach (var f in new[] { file, file + "-wal", file + "-shm" })
        {
            File.Delete(f);
        }

        return run(file);
    }

    private static double RowsOnce(BenchArgs a, List<List<LogLine>> batches, Action<Microsoft.Data.Sqlite.SqliteConnection>? keep)
    {
        var file = Path.Combine(a.Dir, keep is null ? "rows.db" : "rows-kept.db");
        Microsoft.Data.Sqlite.SqliteConnection? c = null;
        var rate = Fresh(file, f => LogPeers.SqliteRowPerLine(f, batches, out c));
        if (keep is null)
        {
            c!.Dispose();
        }
        else
        {
            keep(c!);
        }

        return rate;
    }

    private static async Task<LogService> OpenNoFlushAsync(BenchArgs a)
    {
        var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = Path.Combine(a.Dir, "grove-nf") });
        return await LogService.OpenAsync(tree, new LogOptions { Background = false, FlushToDisk = false, MaxTaskBytes = 4L << 30 });
    }

    private static async Task<double> IngestAsync(LogService logs, List<List<LogLine>> batches)
    {
        var task = await logs.CreateAsync("ingest");
        var sw = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await logs.AppendAsync(task.Id, batch);
        }

        return batches.Sum(b => b.Count) / sw.Elapsed.TotalSeconds;
    }

    private static List<List<LogLine>> Regroup(List<LogLine>[] source, int per) =>
        [.. source.SelectMany(b => b).Chunk(per).Select(c => c.ToList())];

    private static long Offset(int i, long lines) => (long)(new Random(i).NextDouble() * Math.Max(1, lines - 1000));

    private static async Task<(double P50, double P99)> PagesAsync(LogService logs, string id, long lines)
    {
        await logs.ReadAsync(id, 0, 1000);
        var times = new List<double>(Pages);
        int gc0 = GC.CollectionCount(0), gc1 = GC.CollectionCount(1), gc2 = GC.CollectionCount(2);
        for (var i = 0; i < Pages; i++)
        {
            var from = Offset(i, lines);
            var sw = Stopwatch.StartNew();
            var page = await logs.ReadAsync(id, from, 1000);
            times.Add(sw.Elapsed.TotalMilliseconds);
            if (page.Lines.Count != 1000 || page.Lines[0] != BuildLog.Line(from))
            {
                throw new InvalidOperationException($"page at {from} is wrong");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  pages: gen0 {GC.CollectionCount(0) - gc0}, gen1 {GC.CollectionCount(1) - gc1}, gen2 {GC.CollectionCount(2) - gc2}; slowest {string.Join(", ", times.Order().TakeLast(5).Select(t => t.ToString("0.0", CultureInfo.InvariantCulture)))} ms"));
        return Percentiles(times);
    }

    private static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalMilliseconds;
    }

    private static (double P50, double P99) Percentiles(List<double> xs)
    {
        var sorted = xs.Order().ToList();
        return (sorted[sorted.Count / 2], sorted[(int)(sorted.Count * 0.99)]);
    }

    private static async Task SizesAsync(BenchArgs a, LogService logs, TreeService tree, string id, double archiveSeconds, long lines)
    {
        var text = Path.Combine(a.Dir, "download.log");
        var stamped = Path.Combine(a.Dir, "download-ts.log");
        await using (var f = File.Create(text))
        {
            await logs.WriteTextAsync(id, f);
        }

        await using (var f = File.Create(stamped))
        {
            await logs.WriteTextAsync(id, f, new LogTextOptions { Timestamps = true });
        }

        var archive = (await tree.GetAsync((await logs.GetAsync(id)).Path)).Length;
        var report = new Report($"Task logs: archive of {lines:N0} lines ({new FileInfo(text).Length / 1048576.0:N0} MiB of text), archived in {archiveSeconds:0.0} s");
        report.Add("bytes vs gzip -6 of the plain text", archive, Gzip(text), "B", higherIsBetter: false);
        report.Add("bytes vs gzip -6 of the text with time stamps", archive, Gzip(stamped), "B", higherIsBetter: false);
        report.Print();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  archive {archive:N0} B = {100.0 * archive / new FileInfo(text).Length:0.00}% of the text"));
        File.Delete(text);
        File.Delete(stamped);
    }

    private static long Gzip(string file)
    {
        var psi = new ProcessStartInfo("sh", ["-c", $"gzip -6 -c '{file}' | wc -c"]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return long.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }

    private static async Task ArchiveManyAsync(LogService logs)
    {
        const int Tasks = 2000;
        for (var i = 0; i < Tasks; i++)
        {
            var t = await logs.CreateAsync("small " + i);
            await logs.AppendAsync(t.Id, BuildLog.Batch(0, 200));
            await logs.FinishAsync(t.Id, LogTaskStatus.Succeeded, 0);
        }

        var sw = Stopwatch.StartNew();
        var done = await logs.ArchivePendingAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\n  archived {done:N0} finished tasks of 200 lines in {sw.Elapsed.TotalSeconds:0.00} s: {done / sw.Elapsed.TotalSeconds:N0} tasks/s ({logs.Options.ArchiveWorkers} workers)"));
    }

    private static async Task FollowLatencyAsync(LogService logs)
    {
        const int Rounds = 1000;
        var task = await logs.CreateAsync("follow");
        var seen = new long[Rounds];
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var follower = Task.Run(async () =>
        {
            await foreach (var line in logs.FollowAsync(task.Id, 0, stop.Token))
            {
                seen[line.Number] = Stopwatch.GetTimestamp();
            }
        });
        var latencies = new List<double>(Rounds);
        for (var i = 0; i < Rounds; i++)
        {
            await logs.AppendAsync(task.Id, [new LogLine(i, 0, "line " + i)]);
            var acked = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref seen[i]) == 0)
            {
                await Task.Yield();
            }

            latencies.Add(Math.Max(0, Stopwatch.GetElapsedTime(acked, seen[i]).TotalMilliseconds));
        }

        await logs.FinishAsync(task.Id, LogTaskStatus.Succeeded);
        await follower;
        var (p50, p99) = Percentiles(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  follow latency, append acknowledged -> line delivered: p50 {p50:0.000} ms, p99 {p99:0.000} ms"));
    }
}
