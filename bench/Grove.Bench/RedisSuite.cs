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
            Storage = Grove.Tree.Storage.StorageRegistry.CreateDefault().AddRedis(),
            Settings = new Dictionary<string, string?> { ["Redis:Configuration"] = config },
            CacheCapacity = 0,
            ReclaimInterval = TimeSpan.Zero,
        });
        await tree.MountAsync("/r", "redis(bench)", createMissing: true);
        var db = (await RedisConnections.GetAsync(config, "bench")).GetDatabase();

        var report = new Report($"Redis index vs raw StackExchange.Redis, {n:N0} objects in one directory, one client");
        var create = await Report.RateAsync(n, i => tree.CreateAsync($"/r/f{i:D7}", ObjectRace.File));
        var rawCreate = await Report.RateAsync(n, async i =>
        {
            var id = Grove.Tree.ObjectIds.New();
            var row = new TreeObject { Id = id, ParentId = "p", Name = $"f{i:D7}", Race = ObjectRace.File, Version = 1 };
            await db.HashSetAsync("raw:o:" + id, [new("id", id), new("pid", "p"), new("nm", row.Name), new("v", 1), new("bk", ""), new("j", ObjectJson.ToJson(row))]);
            await db.SortedSetAddAsync("raw:c:p", row.Name, 0);
        });
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
        var stat = await Report.RateAsync(stats, i => tree.GetAsync($"/r/f{i * (n / stats):D7}"));
        var rawStat = await Report.RateAsync(stats, async i => _ = await db.HashGetAllAsync(rawIds[i % rawIds.Count]));
        report.Add("stat by path, object cache off (objects/s)", stat, rawStat, "/s");
        await using (var cached = await TreeService.OpenAsync(new TreeOptions
        {
            DataPath = Path.Combine(a.Dir, "grove-cached"),
            Storage = Grove.Tree.Storage.StorageRegistry.CreateDefault().AddRedis(),
            Settings = new Dictionary<string, string?> { ["Redis:Configuration"] = config },
            ReclaimInterval = TimeSpan.Zero,
        }))
        {
            await cached.MountAsync("/r", "redis(bench)", createMissing: true);
            var warm = await Report.RateAsync(stats, i => cached.GetAsync($"/r/f{i * (n / stats):D7}"));
            var hot = await Report.RateAsync(stats, i => cached.GetAsync($"/r/f{i * (n / stats):D7}"));
            report.Add("stat by path, object cache on, first read (objects/s)", warm, rawStat, "/s");
            report.Add("stat by path, object cache on, again (objects/s)", hot, rawStat, "/s");
        }


        var pages = 500;
        var page = await Report.RateAsync(pages, i => tree.ListAsync("/r", after: $"f{i * (n / pages):D7}", limit: 100));
        var rawPage = await Report.RateAsync(pages, async i =>
        {
            var members = await db.SortedSetRangeByValueAsync("raw:c:p", $"f{i * (n / pages):D7}", default, Exclude.Start, Order.Ascending, 0, 100);
            var batch = db.CreateBatch();
            var reads = members.Select((_, k) => batch.HashGetAllAsync(rawIds[(i + k) % rawIds.Count])).ToList();
            batch.Execute();
            await Task.WhenAll(reads);
        });
        report.Add("list a page of 100 (pages/s)", page, rawPage, "/s");
        var first = (await tree.GetAsync("/r/f0000000")).Id;
        var pid = (await db.HashGetAsync("grove:bench:o:" + first[(first.IndexOf(':', StringComparison.Ordinal) + 1)..], "pid")).ToString();
        var index = new Grove.Tree.Redis.Internal.RedisIndexer(db, "bench", TimeProvider.System);
        var alone = await Report.RateAsync(pages, i => index.ListAsync(pid, $"f{i * (n / pages):D7}", 100, CancellationToken.None));
        report.Add("list a page of 100, the index alone (pages/s)", alone, rawPage, "/s");
        report.Print();
        _ = names;
        return 0;
    }
}
