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
        await using var tree = await TreeService.OpenAsync(new TreeOptions { Store = a.Store, DataPath = Path.Combine(a.Dir, "hist"), LockDataFolder = a.Store is null, ReclaimInterval = TimeSpan.Zero });
        await using var records = await RecordService.OpenAsync(tree, new RecordsOptions { CacheCapacity = 0, RotationInterval = null });
        var tables = (await records.StatsAsync("b_hist")).Tables;
        var total = tables.Sum(t => t.Rows);
        Console.WriteLine($"b_hist: {total:N0} rows in {tables.Count} tables");
        var rng = new Random(7);
        for (var round = 0; round < rounds; round++)
        {
            var keys = Enumerable.Range(0, 1000).Select(_ => rng.NextInt64(0, total)).ToArray();
            var sw = Stopwatch.StartNew();
            var found = 0;
            foreach (var k in keys)
            {
                found += await records.GetAsync("b_hist", k) is null ? 0 : 1;
            }

            var gets = keys.Length / sw.Elapsed.TotalSeconds;
            var scores = Enumerable.Range(0, 100).Select(_ => rng.Next(0, 1_000_000)).ToArray();
            sw.Restart();
            foreach (var score in scores)
            {
                using var where = JsonDocument.Parse("{\"score\":{\"$gte\":" + score.ToString(Inv) + "}}");
                _ = await records.FindAsync("b_hist", new RecordQuery { Where = where.RootElement.Clone(), Sort = ["score"], Limit = 100 });
            }

            var pages = scores.Length / sw.Elapsed.TotalSeconds;
            Console.WriteLine($"round {round + 1}: uncached gets {gets:N0}/s ({found} found), pages of 100 by score {pages:N0}/s");
        }

        return 0;
    }

    private static string? Get(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
