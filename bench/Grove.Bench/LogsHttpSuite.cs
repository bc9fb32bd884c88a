using System.Diagnostics;
using System.Globalization;
using Grove.Client;
using Grove.Logs;

namespace Grove.Bench;

/// <summary>
/// Task logs over HTTP, against a server in its own process: ingest of <c>--n</c> build-log lines sent by
/// <see cref="GroveLogReporter"/> (vs the seed's row-per-line SQL table and a buffered file, alternated over three
/// rounds), pages of 1,000 lines at random offsets of a <c>--read</c>-line log live and archived, follow latency
/// over server-sent events, the console's viewer (Playwright), and the server's memory while ten clients download
/// the big log at once.
/// </summary>
internal static partial class LogsHttpSuite
{
    private const int Rounds = 5;

    /// <summary>Lines of the log the ten clients download (<c>--download</c>): 15M build-log lines are just over 1 GiB of text.</summary>
    private const long DefaultDownloadLines = 15_000_000;

    public static async Task<int> RunAsync(BenchArgs a, long readLines, bool viewer, long? downloadLines)
    {
        var downloadCount = downloadLines ?? DefaultDownloadLines;
        Directory.CreateDirectory(a.Dir);
        var data = Path.Combine(a.Dir, "server");
        Console.WriteLine($"task logs over HTTP: ingest {a.N:N0} lines, reads over {readLines:N0} lines, in {a.Dir}");
        var server = await ServerProcess.StartAsync(data);
        try
        {
            using var grove = new GroveClient(server.Address);
            await grove.LoginAsync("admin", ServerProcess.Password);
            await IngestAsync(a, grove);
            await FollowLatencyAsync(grove, server.Address);
            var id = await BigLogAsync(grove, readLines, "big build");
            var live = await PagesAsync(server.Address, grove.Token!, id, readLines);
            await grove.FinishLogTaskAsync(id, GroveLogStatus.Succeeded, 0);
            var archiving = Stopwatch.StartNew();
            while (!(await grove.GetLogTaskAsync(id)).Archived)
            {
                await Task.Delay(200);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  archived the {readLines:N0}-line log in {archiving.Elapsed.TotalSeconds:0.0} s (verified before the live copy went)"));
            var archived = await PagesAsync(server.Address, grove.Token!, id, readLines);
            var pages = new Report($"Task logs over HTTP: a page of 1,000 lines at a random offset of a {readLines:N0}-line log ({Pages:N0} pages a round, medians of {Rounds} rounds)");
            pages.Add("live store, p50 ms vs archive p50", live.P50, archived.P50, "ms", higherIsBetter: false);
            pages.Add("live store, p99 ms (goal ≤ 10) vs archive p99 (goal ≤ 10)", live.P99, archived.P99, "ms", higherIsBetter: false);
            pages.Print();

            var download = await BigLogAsync(grove, downloadCount, "download");
            await grove.FinishLogTaskAsync(download, GroveLogStatus.Succeeded, 0);
            while (!(await grove.GetLogTaskAsync(download)).Archived)
            {
                await Task.Delay(200);
            }

            // A fresh server process, so its memory reflects the downloads and not what the ingest left in its heap.
            await server.DisposeAsync();
            server = await ServerProcess.StartAsync(data);
            if (viewer)
            {
                await ViewerBench.RunAsync(server.Address, id, readLines);
            }

            await DownloadsAsync(server, download, downloadCount);
        }
        finally
        {
            await server.DisposeAsync();
        }

        return 0;
    }

    private static async Task IngestAsync(BenchArgs a, GroveClient grove)
    {
        var n = a.N;
        var lines = new LogLine[n];
        for (var i = 0; i < n; i++)
        {
            lines[i] = BuildLog.Line(i);
        }

        var batches = lines.Chunk(10_000).Select(c => c.ToList()).ToList();

        // Warm-up, not counted: the server process has just started, and .NET compiles a method's optimized code after
        // some 30 calls; a batch is one call of the hot paths, so the warm-up sends the lines once (about 75 batches).
        await ReporterOnceAsync(grove, lines, -1);
        var runs = new Dictionary<string, List<double>>();
        void Add(string what, double rate) => (runs.TryGetValue(what, out var l) ? l : runs[what] = []).Add(rate);
        for (var round = 0; round < Rounds; round++)
        {
            var contenders = new List<(string, Func<Task<double>>)>
            {
                ("reporter", () => ReporterOnceAsync(grove, lines, round)),
                ("rows", () => Task.FromResult(Fresh(Path.Combine(a.Dir, "rows.db"), f =>
                {
                    var rate = LogPeers.SqliteRowPerLine(f, batches, out var c, fsync: false);
                    c.Dispose();
                    return rate;
                }))),
                ("file", () => Task.FromResult(Fresh(Path.Combine(a.Dir, "plain.log"), f => LogPeers.BufferedFile(f, batches, fsync: false)))),
            };
            for (var i = 0; i < contenders.Count; i++)
            {
                // Each side starts on a collected heap and a clean page cache: the lines made before the clock are
                // the only garbage it inherits, and the previous side's writes are not flushed on its time.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Sync();
                var (what, run) = contenders[(i + round) % contenders.Count];
                Add(what, await run());
            }
        }

        double M(string what) => runs[what].Order().ElementAt(runs[what].Count / 2);
        var report = new Report($"Task logs over HTTP: ingest of {n:N0} build-log lines (~{lines.Average(l => l.Text.Length):0} B) by GroveLogReporter to a local server, end to end (medians of {Rounds} rounds)");
        report.Add("reporter → HTTP → server (goal ≥ 500k lines/s) vs SQLite row per line (the seed, in process, no HTTP)", M("reporter"), M("rows"), "lines/s");
        report.Add("reporter → HTTP → server vs a buffered file append (the limit, in process)", M("reporter"), M("file"), "lines/s");
        report.Print();
        Console.WriteLine("  rounds: " + string.Join("; ", runs.Select(r => $"{r.Key} " + string.Join(" / ", r.Value.Select(v => v.ToString("N0", CultureInfo.InvariantCulture))))));
    }

    private static async Task<double> ReporterOnceAsync(GroveClient grove, LogLine[] lines, int round)
    {
        await using var reporter = await GroveLogReporter.StartAsync(grove, $"ingest round {round}");
        var sw = Stopwatch.StartNew();
        foreach (var line in lines)
        {
            reporter.Write(line.Text, DateTimeOffset.FromUnixTimeMilliseconds(line.Timestamp));
        }

        if (!await reporter.FlushAsync())
        {
            throw new InvalidOperationException("the reporter could not deliver: " + reporter.Stats.LastError);
        }

        var rate = lines.Length / sw.Elapsed.TotalSeconds;
        var stats = reporter.Stats;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  reporter round {round}: {rate:N0} lines/s, {stats.Batches} batches, {stats.Retries} retries"));
        return rate;
    }

    private static void Sync()
    {
        using var p = Process.Start(new ProcessStartInfo("sync"))!;
        p.WaitForExit();
    }

    private static double Fresh(string file, Func<string, double> run)
    {
        foreach (var f in new[] { file, file + "-wal", file + "-shm" })
        {
            File.Delete(f);
        }

        return run(file);
    }

    /// <summary>A big log of <paramref name="count"/> build-log lines written through the reporter; returns its task id.</summary>
    private static async Task<string> BigLogAsync(GroveClient grove, long count, string name)
    {
        var sw = Stopwatch.StartNew();
        await using var reporter = await GroveLogReporter.StartAsync(grove, name);
        for (long n = 0; n < count; n++)
        {
            var line = BuildLog.Line(n);
            reporter.Write(line.Text, DateTimeOffset.FromUnixTimeMilliseconds(line.Timestamp));
        }

        await reporter.FlushAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  wrote the {count:N0}-line log through the reporter in {sw.Elapsed.TotalSeconds:0.0} s ({count / sw.Elapsed.TotalSeconds:N0} lines/s, making the lines included)"));
        return reporter.TaskId;
    }
}
