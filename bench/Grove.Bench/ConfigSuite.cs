using System.Diagnostics;
using Grove.Config;
using Grove.Tree;

namespace Grove.Bench;

/// <summary>
/// The config engine in process (no HTTP): publishes per second on the tree's store, memory reads per second of 200
/// configs of 5 KiB (the Nacos 2.0 benchmark's shape), how long 1,000 long polls take to wake after a publish is
/// acknowledged, and what 10,000 held long polls cost in memory.
/// </summary>
internal static class ConfigSuite
{
    public static async Task<int> RunAsync(BenchArgs a)
    {
        Directory.CreateDirectory(a.Dir);
        await using var tree = await TreeService.OpenAsync(new TreeOptions { Store = a.Store, DataPath = Path.Combine(a.Dir, "config"), LockDataFolder = false });
        await using var engine = await ConfigEngine.OpenAsync(tree, new ConfigOptions { RunTimers = false, RequestsPerWindow = 0, MaxWaitersPerIp = 0 });
        var body = new string('x', 5 * 1024);
        var keys = Enumerable.Range(0, 200).Select(i => ConfigKey.Create($"bench-{i}.properties", "BENCH")).ToArray();
        foreach (var k in keys)
        {
            await engine.PublishAsync(new PublishRequest { Key = k, Content = $"id={k.DataId}\n{body}" });
        }

        var publishes = Math.Min(a.N, 5000);
        // The peer first (a later run meets a larger WAL): the same three rows (counter, config, history entry) committed straight through the tree.
        var raw = Enumerable.Range(0, 200).Select(i => $"/bench-raw/items/k{i}").ToArray();
        var rawBody = System.Text.Encoding.UTF8.GetBytes(body);
        await tree.CommitAsync(new TreeBatch().Create("/bench-raw/rev", new BatchFile()));
        foreach (var p in raw)
        {
            await tree.CommitAsync(new TreeBatch().Create(p, new BatchFile { Content = rawBody }));
        }

        var treeRate = await Report.RateAsync(publishes, async i =>
        {
            var rev = await tree.GetAsync("/bench-raw/rev");
            var item = await tree.GetAsync(raw[i % raw.Length]);
            await tree.CommitAsync(new TreeBatch()
                .Replace("/bench-raw/rev", rev.Version, new BatchFile())
                .Replace(raw[i % raw.Length], item.Version, new BatchFile { Content = rawBody })
                .Create($"/bench-raw/history/{i:D19}", new BatchFile { Content = rawBody }));
        });

        var publishRate = await Report.RateAsync(publishes, i =>
            engine.PublishAsync(new PublishRequest { Key = keys[i % keys.Length], Content = $"v={i}\n{body}" }));

        // Concurrent publishers: queued writes with disjoint keys share one transaction (group commit).
        var concurrent = new List<(int Writers, double Rate)>();
        foreach (var writers in new[] { 16, 64 })
        {
            var next = -1;
            var sw0 = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < publishes)
                {
                    await engine.PublishAsync(new PublishRequest { Key = keys[i % keys.Length], Content = $"c={i}\n{body}" });
                }
            })));
            concurrent.Add((writers, publishes / sw0.Elapsed.TotalSeconds));
        }


        var reads = 0L;
        var sw = Stopwatch.StartNew();
        var readers = Enumerable.Range(0, Environment.ProcessorCount).Select(t => Task.Run(() =>
        {
            var n = 0L;
            var client = new ConfigClient($"10.0.0.{t}");
            while (sw.Elapsed < TimeSpan.FromSeconds(2))
            {
                for (var i = 0; i < 1000; i++)
                {
                    var item = engine.Get(keys[(i + t) % keys.Length], client);
                    n += item!.Utf8.Length > 0 ? 1 : 0;
                }
            }

            Interlocked.Add(ref reads, n);
        })).ToArray();
        await Task.WhenAll(readers);
        var readRate = reads / sw.Elapsed.TotalSeconds;

        var hot = keys[0];
        var wakeMs = new double[1000];
        var probe = new[] { new ConfigProbe(hot, engine.GetMd5(hot)) };
        var acked = 0L;
        var waiters = Enumerable.Range(0, wakeMs.Length).Select(async i =>
        {
            await engine.WaitForChangesAsync(probe, TimeSpan.FromMinutes(1), new ConfigClient($"10.1.{i / 250}.{i % 250}"));
            wakeMs[i] = Stopwatch.GetTimestamp();
        }).ToArray();
        while (engine.WaiterCount < wakeMs.Length)
        {
            await Task.Yield();
        }

        await engine.PublishAsync(new PublishRequest { Key = hot, Content = "changed" });
        Interlocked.Exchange(ref acked, Stopwatch.GetTimestamp());
        await Task.WhenAll(waiters);

        // Note that a waiter woken before the publisher got its answer counts as 0 ms.
        for (var i = 0; i < wakeMs.Length; i++)
        {
            wakeMs[i] = Math.Max(0, (wakeMs[i] - acked) * 1000.0 / Stopwatch.Frequency);
        }

        Array.Sort(wakeMs);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var stop = new CancellationTokenSource();
        var held = Enumerable.Range(0, 10_000)
            .Select(i => engine.WaitForChangesAsync([new ConfigProbe(keys[i % keys.Length], "held")], TimeSpan.FromMinutes(10), new ConfigClient($"10.2.{i / 250}.{i % 250}"), stop.Token))
            .ToArray();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var perWaiter = (after - before) / 10_000.0;
        await stop.CancelAsync();
        await Task.WhenAll(held.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        Console.WriteLine();
        Console.WriteLine($"## Config engine in process, store {a.Store ?? "sqlite"} ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd})");
        Console.WriteLine();
        Console.WriteLine("| measure | Grove | goal / anchor |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(FormattableString.Invariant($"| publishes of 5 KiB, one at a time | {publishRate:N0}/s | ≥ 1,000/s (Nacos knee 2,500/s on 8 cores) |"));
        Console.WriteLine(FormattableString.Invariant($"| peer: the same 3-row batch straight through the tree | {treeRate:N0}/s | engine = {publishRate / treeRate:0.00}× of it |"));
        foreach (var (writers, rate) in concurrent)
        {
            Console.WriteLine(FormattableString.Invariant($"| publishes of 5 KiB, {writers} at once (group commit) | {rate:N0}/s | {rate / treeRate:0.00}× the one-at-a-time peer |"));
        }

        Console.WriteLine(FormattableString.Invariant($"| memory reads, 200 configs of 5 KiB | {readRate:N0}/s | HTTP goal ≥ 30,000/s |"));
        Console.WriteLine(FormattableString.Invariant($"| 1,000 long polls woken after the ack: p50 / p99 / max | {wakeMs[500]:0.00} / {wakeMs[989]:0.00} / {wakeMs[^1]:0.00} ms | p99 ≤ 100 ms |"));
        Console.WriteLine(FormattableString.Invariant($"| 10,000 held long polls | {perWaiter:N0} B each, {(after - before) / 1048576.0:0.0} MiB in all | < 300 MB for the server |"));
        return 0;
    }
}
