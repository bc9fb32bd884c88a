using System.Diagnostics;
using System.Text.Json;
using Grove.Tree;
using Grove.Tree.Query;

namespace Grove.Bench;

/// <summary>
/// The tree suite: create N small objects in one directory, stat random paths (cold, then a warm hot set), list
/// the directory page by page, query by a custom key. Peer: the same rows in a plain table with a primary key and
/// a (pid, nm) index under the same durability (SQLite WAL + synchronous=NORMAL, or plain PostgreSQL).
/// </summary>
internal static class TreeSuite
{
    private const int PageSize = 1000;
    private const int HotSet = 100_000;

    public static async Task<int> RunAsync(BenchArgs a)
    {
        Directory.CreateDirectory(a.Dir);
        var isPg = a.Store is not null && a.Store.StartsWith("postgres", StringComparison.OrdinalIgnoreCase);
        await using IPeerTable peer = isPg ? await PgPeer.OpenAsync(a.Store!) : new SqlitePeer(Path.Combine(a.Dir, "peer.db"));
        var report = new Report($"Tree store, {a.N:N0} objects in one directory, {(isPg ? "PostgreSQL" : "SQLite")}");
        var rnd = new Random(42);
        var picks = Enumerable.Range(0, a.N).Select(_ => rnd.Next(a.N)).ToArray();

        Console.Error.WriteLine($"peer: creating {a.N:N0} rows, one transaction each…");
        var peerCreate = Report.Rate(a.N, i => peer.Insert(i));
        var peerStat = Report.Rate(a.N, i => peer.Stat(picks[i]));
        var (peerPageAvg, peerPageMax, _) = Pages(a.N, peer.Page);
        peer.IndexMeta();
        var peerQuery = Report.Rate(2000, i => peer.Query(i % 1000));

        Console.Error.WriteLine($"grove: creating {a.N:N0} objects, one transaction each…");
        await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = Path.Combine(a.Dir, "grove"), Store = a.Store, ChangeRetention = a.NoFeed ? 0 : 100_000 });
        await tree.MkdirAsync("/bench");
        var create = await Report.RateAsync(a.N, i => tree.CreateAsync($"/bench/f{i:D8}", ObjectRace.File, new CreateOptions
        {
            Meta = new Dictionary<string, JsonElement> { ["k"] = JsonValues.FromPlain((long)(i % 1000)) },
        }));
        var coldStat = await Report.RateAsync(a.N, i => tree.GetAsync($"/bench/f{picks[i]:D8}"));
        var hot = picks.Take(HotSet).Select(i => $"/bench/f{i:D8}").ToArray();
        foreach (var p in hot)
        {
            await tree.GetAsync(p);
        }

        var warmStat = await Report.RateAsync(a.N, i => tree.GetAsync(hot[i % HotSet]));
        var (pageAvg, pageMax, memGrowth) = await PagesAsync(tree);
        await tree.EnsureIndexAsync("k");
        var query = await Report.RateAsync(2000, i => tree.QueryAsync(new TreeQuery
        {
            Parent = "/bench",
            Filter = Filter.Eq("k", (long)(i % 1000)),
            Limit = PageSize,
        }));

        report.Add("create, one transaction each (objects/s)", create, peerCreate, "/s");
        report.Add("stat random path, cold (stats/s)", coldStat, peerStat, "/s");
        report.Add("stat random path, warm hot set of 100k (stats/s)", warmStat, peerStat, "/s");
        report.Add("list page of 1,000, average (ms)", pageAvg, peerPageAvg, "ms", higherIsBetter: false);
        report.Add("list page of 1,000, slowest (ms)", pageMax, peerPageMax, "ms", higherIsBetter: false);
        report.Add("query by custom key, 1,000 rows (queries/s)", query, peerQuery, "/s");
        report.Print();
        Console.WriteLine();
        Console.WriteLine($"Largest retained managed heap growth while listing all {a.N:N0} children: {memGrowth / 1048576.0:0.0} MiB (flat = bounded by one page).");
        return 0;
    }

    private static (double Avg, double Max, long Growth) Pages(int n, Func<string?, string?> page)
    {
        var times = new List<double>();
        string? after = null;
        do
        {
            var sw = Stopwatch.StartNew();
            after = page(after);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        while (after is not null);
        return (times.Average(), times.Max(), 0);
    }

    private static async Task<(double Avg, double Max, long Growth)> PagesAsync(TreeService tree)
    {
        GC.Collect();
        var baseline = GC.GetTotalMemory(true);
        long peak = 0;
        var times = new List<double>();
        string? after = null;
        do
        {
            var sw = Stopwatch.StartNew();
            var page = await tree.ListAsync("/bench", after, PageSize);
            times.Add(sw.Elapsed.TotalMilliseconds);
            after = page.Next;
            if (times.Count % 100 == 0)
            {
                // Retained memory (after a full collection, outside the timed region): flat means one page at a time.
                peak = Math.Max(peak, GC.GetTotalMemory(true) - baseline);
            }
        }
        while (after is not null);
        return (times.Average(), times.Max(), peak);
    }
}
