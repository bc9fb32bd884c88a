using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Grove.Records;
using Grove.Tree;

namespace Grove.Bench;

/// <summary>
/// The two records-at-scale reads that grow with the data (issue 11), on a data folder a <c>records</c> run left
/// (<c>--dir</c> of that run, set b_hist): uncached gets by key and pages of 100 by score, in rounds, so two builds
/// can be measured alternately on the same data without loading it again.
/// </summary>
internal static class RecordsProbe
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var a = BenchArgs.Parse(args);
        var rounds = int.Parse(Get(args, "--rounds") ?? "3", Inv);
        // Note that the scale bench reads right after single-row inserts (its WAL and caches then): --writes N inserts
        // N rows, one transaction each, before each round's reads.
        var writes = int.Parse(Get(args, "--writes") ?? "0", Inv);
        // Note that --only get|page measures one of the two reads (a profile of one path).
        var only = Get(args, "--only");
        // Note that --inserts N times N single-row inserts (one transaction each) at the start of each round.
        var inserts = int.Parse(Get(args, "--inserts") ?? "0", Inv);
        await using var tree = await TreeService.OpenAsync(new TreeOptions { Store = a.Store, DataPath = Path.Combine(a.Dir, "hist"), LockDataFolder = a.Store is null, ReclaimInterval = TimeSpan.Zero });
        await using var records = await RecordService.OpenAsync(tree, new RecordsOptions { CacheCapacity = 0, RotationInterval = null });
        var tables = (await records.StatsAsync("b_hist")).Tables;
        var total = tables.Sum(t => t.Rows);
        Console.WriteLine($"b_hist: {total:N0} rows in {tables.Count} tables");
        var rng = new Random(7);
        var mainKeys = total - tables[0].Rows;
        var next = await NextIdAsync(records);
        for (var round = 0; round < rounds; round++)
        {
            var keys = Enumerable.Range(0, 1000).Select(_ => rng.NextInt64(0, total)).ToArray();
            var main = Enumerable.Range(0, 1000).Select(_ => rng.NextInt64(mainKeys, total)).ToArray();
            var scores = Enumerable.Range(0, 100).Select(_ => rng.Next(0, 1_000_000)).ToArray();
            if (inserts > 0)
            {
                var ins = await TimeAsync(inserts, _ => records.InsertAsync("b_hist", RecordsSuite.Row(next++)));
                Console.WriteLine($"round {round + 1}: insert one row {ins.Wall:0.0} µs (cpu {ins.Cpu:0.0})");
            }

            for (var i = 0; i < writes; i++)
            {
                await records.InsertAsync("b_hist", RecordsSuite.Row(next++));
            }

            var (gets, pages) = (only is null or "get" ? 1 : 0, only is null or "page" ? 1 : 0);
            var g = await TimeAsync(keys.Length * gets, i => records.GetAsync("b_hist", keys[i]).AsTask());
            var gm = await TimeAsync(main.Length * gets, i => records.GetAsync("b_hist", main[i]).AsTask());
            var p = await TimeAsync(scores.Length * pages, i => PageAsync(records, scores[i], null));
            var pm = await TimeAsync(scores.Length * pages, i => PageAsync(records, scores[i], 0));
            if (only is null or "deep")
            {
                var d = await TimeAsync(3, _ => records.FindAsync("b_hist", new RecordQuery { Sort = ["score"], Limit = 100, Page = 1000 }));
                Console.WriteLine($"round {round + 1}: page 1,000 of 100 by score, by number {d.Wall / 1000:0.0} ms (cpu {d.Cpu / 1000:0.0})");
            }

            Console.WriteLine($"round {round + 1}: uncached get {g.Wall:0.0} µs (cpu {g.Cpu:0.0}), in main {gm.Wall:0.0} µs (cpu {gm.Cpu:0.0}); page of 100 by score, all tables {p.Wall:0} µs (cpu {p.Cpu:0}), main only {pm.Wall:0} µs (cpu {pm.Cpu:0})");
        }

        return 0;
    }

    private static async Task<long> NextIdAsync(RecordService records)
    {
        var page = await records.FindAsync("b_hist", new RecordQuery { Sort = ["-id"], Limit = 1, History = 0 });
        return page.Items.Count == 0 ? 0 : Convert.ToInt64(page.Items[0]["id"], Inv) + 1;
    }

    private static async Task<(double Wall, double Cpu)> TimeAsync(int count, Func<int, Task> op)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await op(i);
        }

        var wall = sw.Elapsed.TotalMicroseconds / count;
        return (wall, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count);
    }

    private static async Task PageAsync(RecordService records, int score, int? history)
    {
        using var where = JsonDocument.Parse("{\"score\":{\"$gte\":" + score.ToString(Inv) + "}}");
        _ = await records.FindAsync("b_hist", new RecordQuery { Where = where.RootElement.Clone(), Sort = ["score"], Limit = 100, History = history });
    }

    private static string? Get(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
