using System.Diagnostics;
using Grove.Tree;
using Grove.Tree.Redis;
using StackExchange.Redis;

namespace Grove.Bench;

/// <summary>
/// The <c>redis(Key)</c> index through the tree (object cache off, so every stat reaches Redis) against raw
/// StackExchange.Redis doing what a hand-written store does on the same server: HSET + ZADD per create, HGETALL per
/// stat, ZRANGE + HGETALL for a page of 100.
/// </summary>
internal static class RedisSuite
{
    public static async Task<int> RunAsync(BenchArgs a)
    {
        var n = Math.Min(a.N, 200_000);
        var exe = Environment.GetEnvironmentVariable("GROVE_REDIS_SERVER") ?? "redis-server";
        Directory.CreateDirectory(a.Dir);
        using var server = ChildServer.Start(exe, port => ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", a.Dir]);
        var config = $"127.0.0.1:{server.Port}";
        await using var tree = await TreeService.OpenAsync(new TreeOptions
        {
            DataPath = Path.Combine(a.Dir, "grove"),
            Store = a.Store,
            Storage = Grove.Tree.Storage.StorageRegistry.CreateDefault().AddRedis(),
            Settings = new Dictionary<string, string?> { ["Redis:Configuration"] = config },
            CacheCapacity = 0,
            ReclaimInterval = TimeSpan.Zero,
            ChangeRetention = a.NoFeed ? 0 : 100_000,
        });
        await tree.MountAsync("/r", "redis(bench)", createMissing: true);
        var db = (await RedisConnections.GetAsync(config, "bench")).GetDatabase();

        var report = new Report($"Redis index vs raw StackExchange.Redis, {n:N0} objects in one directory, one client");
        using var admin = await ConnectionMultiplexer.ConnectAsync(config + ",allowAdmin=true");
        var server0 = admin.GetServers()[0];
        var calls0 = await CallsAsync(server0);
        async Task RawCreate(string set, string name)
        {
            var id = Grove.Tree.ObjectIds.New();
            var row = new TreeObject { Id = id, ParentId = "p", Name = name, Race = ObjectRace.File, Version = 1 };
            await db.HashSetAsync("raw:o:" + id, [new("id", id), new("pid", "p"), new("nm", row.Name), new("v", 1), new("bk", ""), new("j", ObjectJson.ToJson(row))]);
            await db.SortedSetAddAsync(set, row.Name, 0);
        }

        var (create, rawCreate) = await Report.PairAsync(n, i => tree.CreateAsync($"/r/f{i:D7}", ObjectRace.File), i => RawCreate("raw:c:p", $"f{i:D7}"));
        Console.WriteLine($"create: Redis commands per object, Grove + peer: {Per(await CallsAsync(server0), calls0, n)}");
        report.Add("create (objects/s)", create, rawCreate, "/s");

        var names = await db.SortedSetRangeByRankAsync("raw:c:p", 0, 0);
        var rawIds = new List<RedisKey>();
        await foreach (var key in db.Multiplexer.GetServers()[0].KeysAsync(pattern: "raw:o:*", pageSize: 1000))
        {
            rawIds.Add(key);
            if (rawIds.Count == 10_000)
            {
                break;
            }
        }

        var stats = Math.Min(n, 10_000);
        calls0 = await CallsAsync(server0);
        var (stat, rawStat) = await Report.PairAsync(stats, i => tree.GetAsync($"/r/f{i * (n / stats):D7}"), async i => _ = await db.HashGetAllAsync(rawIds[i % rawIds.Count]));
        Console.WriteLine($"stat: Redis commands per object, Grove + peer: {Per(await CallsAsync(server0), calls0, stats)}");
        report.Add("stat by path, object cache off (objects/s)", stat, rawStat, "/s");
        await using var cached = await TreeService.OpenAsync(new TreeOptions
        {
            DataPath = Path.Combine(a.Dir, "grove-cached"),
            Store = a.Store,
            Storage = Grove.Tree.Storage.StorageRegistry.CreateDefault().AddRedis(),
            Settings = new Dictionary<string, string?> { ["Redis:Configuration"] = config },
            ReclaimInterval = TimeSpan.Zero,
            ChangeRetention = a.NoFeed ? 0 : 100_000,
        });
        {
            // Note that with --store both trees share one store, where /r is mounted already.
            if ((await cached.FindAsync("/r"))?.Mount is null)
            {
                await cached.MountAsync("/r", "redis(bench)", createMissing: true);
            }

            // Note that the server's default keeps the object cache on: the mount point is then found without the store.
            await cached.MkdirAsync("/r/c");
            var (createCached, rawCreate2) = await Report.PairAsync(Math.Min(n, 5_000), i => cached.CreateAsync($"/r/c/g{i:D7}", ObjectRace.File), i => RawCreate("raw:c:q", $"g{i:D7}"));
            report.Add("create, object cache on (objects/s)", createCached, rawCreate2, "/s");
            var (warm, rawStat2) = await Report.PairAsync(stats, i => cached.GetAsync($"/r/f{i * (n / stats):D7}"), async i => _ = await db.HashGetAllAsync(rawIds[(i + 1) % rawIds.Count]));
            var hot = await Report.RateAsync(stats, i => cached.GetAsync($"/r/f{i * (n / stats):D7}"));
            report.Add("stat by path, object cache on, first read (objects/s)", warm, rawStat2, "/s");
            report.Add("stat by path, object cache on, again (objects/s)", hot, rawStat, "/s");
        }


        var pages = 500;
        calls0 = await CallsAsync(server0);
        async Task RawPage(int i)
        {
            var members = await db.SortedSetRangeByValueAsync("raw:c:p", $"f{i * (n / pages):D7}", default, Exclude.Start, Order.Ascending, 0, 100);
            var batch = db.CreateBatch();
            var reads = members.Select((_, k) => batch.HashGetAllAsync(rawIds[(i + k) % rawIds.Count])).ToList();
            batch.Execute();
            await Task.WhenAll(reads);
        }

        var (page, rawPage) = await Report.PairAsync(pages, i => tree.ListAsync("/r", after: $"f{i * (n / pages):D7}", limit: 100), RawPage);
        Console.WriteLine($"page: Redis commands per page, Grove + peer: {Per(await CallsAsync(server0), calls0, pages)}");
        report.Add("list a page of 100, object cache off (pages/s)", page, rawPage, "/s");
        var (pageCached, rawPage3) = await Report.PairAsync(pages, i => cached.ListAsync("/r", after: $"f{(i + 1) * (n / pages) / 2:D7}", limit: 100), RawPage);
        report.Add("list a page of 100, object cache on (pages/s)", pageCached, rawPage3, "/s");
        var first = (await tree.GetAsync("/r/f0000000")).Id;
        var pid = (await db.HashGetAsync("grove:bench:o:" + first[(first.IndexOf(':', StringComparison.Ordinal) + 1)..], "pid")).ToString();
        var index = new Grove.Tree.Redis.Internal.RedisIndexer(db, "bench", TimeProvider.System);
        var (alone, rawPage2) = await Report.PairAsync(pages, i => index.ListAsync(pid, $"f{i * (n / pages):D7}", 100, CancellationToken.None), RawPage);
        report.Add("list a page of 100, the index alone (pages/s)", alone, rawPage2, "/s");
        report.Print();
        _ = names;
        return 0;
    }

    /// <summary>Calls per command so far (INFO commandstats), to count what one operation sends.</summary>
    private static async Task<Dictionary<string, long>> CallsAsync(IServer server)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in await server.InfoAsync("commandstats"))
        {
            foreach (var kv in group)
            {
                var calls = kv.Value.Split(',')[0];
                result[kv.Key.Replace("cmdstat_", "", StringComparison.Ordinal)] = long.Parse(calls[(calls.IndexOf('=', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return result;
    }

    private static string Per(Dictionary<string, long> after, Dictionary<string, long> before, int ops) =>
        string.Join(", ", after.Select(kv => (kv.Key, Delta: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(x => x.Delta > 0 && x.Key != "info").Select(x => $"{x.Key} {(double)x.Delta / ops:0.##}"));
}
