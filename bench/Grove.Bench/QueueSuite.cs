using System.Diagnostics;
using System.Globalization;
using Grove.Queues;
using Grove.Tree;
using Grove.Tree.Redis;
using Npgsql;
using StackExchange.Redis;

namespace Grove.Bench;

/// <summary>
/// Queue throughput: C workers each looping push → claim → ack, through Grove's queue mounts against the bare loop on
/// the same server — a PostgreSQL table with <c>FOR UPDATE SKIP LOCKED</c> on the same database, and Redis Streams
/// XADD / XREADGROUP / XACK on the same redis-server. Grove and its peer alternate in two rounds per consumer count.
/// </summary>
internal static class QueueSuite
{
    private static readonly byte[] Payload = new byte[100];

    public static async Task<int> RunAsync(BenchArgs a)
    {
        var n = Math.Min(a.N, 100_000);
        Directory.CreateDirectory(a.Dir);
        var report = new Report($"Queues: push + claim + ack, {n:N0} messages per measure (messages/s)");
        if (a.Store is not null)
        {
            await using var tree = await TreeService.OpenAsync(new TreeOptions { Store = a.Store, DataPath = Path.Combine(a.Dir, "pg"), LockDataFolder = false, ReclaimInterval = TimeSpan.Zero });
            await using var queues = await QueueService.OpenAsync(tree);
            await tree.MountAsync("/q", "mq(bench)", createMissing: true);
            await using var peer = await PgQueuePeer.OpenAsync(a.Store);
            var (gs, gw) = await peer.CountAsync(200, () => GroveCycleAsync(queues, "/q"));
            var (ps, pw) = await peer.CountAsync(200, peer.CycleAsync);
            report.Add("PostgreSQL: round trips per message (Npgsql commands and batches; 1 consumer; fewer is better)", gs, ps, "", higherIsBetter: false);
            report.Add("PostgreSQL: WAL syncs per message (1 consumer; fewer is better)", gw, pw, "", higherIsBetter: false);
            foreach (var c in new[] { 1, 4, 16 })
            {
                var (g, p) = await PairAsync(n, c, () => GroveCycleAsync(queues, "/q"), peer.CycleAsync);
                report.Add($"PostgreSQL (same database), {c} consumer(s)", g, p, "/s");
            }
        }

        var exe = Environment.GetEnvironmentVariable("GROVE_REDIS_SERVER") ?? "redis-server";
        using var server = ChildServer.Start(exe, port => ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", a.Dir]);
        var config = $"127.0.0.1:{server.Port}";
        await using (var tree = await TreeService.OpenAsync(new TreeOptions
        {
            DataPath = Path.Combine(a.Dir, "redis"),
            Storage = Grove.Tree.Storage.StorageRegistry.CreateDefault().AddRedis(),
            Settings = new Dictionary<string, string?> { [RedisConnections.SettingKey] = config },
            ReclaimInterval = TimeSpan.Zero,
        }))
        {
            await using var queues = await QueueService.OpenAsync(tree);
            await tree.MountAsync("/r", "redis(bench)", createMissing: true);
            await tree.MountAsync("/r/q", "mq(bench)://redis(bench)", createMissing: true);
            var db = (await RedisConnections.GetAsync(config, "bench")).GetDatabase();
            await db.StreamCreateConsumerGroupAsync("peer:s", "g", "0-0", createStream: true);
            var worker = 0;
            await using var admin = await ConnectionMultiplexer.ConnectAsync(config + ",allowAdmin=true");
            // Note that GROVE_BENCH_QUEUE_SOLO=grove|peer:C runs one side alone with C workers (for a profiler or perf stat).
            if (Environment.GetEnvironmentVariable("GROVE_BENCH_QUEUE_SOLO") is { Length: > 0 } solo)
            {
                var parts = solo.Split(':');
                var workers = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 16;
                Func<Task> cycle = parts[0] == "peer"
                    ? () => RedisPeerCycleAsync(db, "c" + (Interlocked.Increment(ref worker) % workers))
                    : () => GroveCycleAsync(queues, "/r/q");
                await RunAsync(Math.Min(n, 5000), workers, cycle);
                var serverCpu = await ServerCpuAsync(admin.GetServer(config));
                var soloCpu = Process.GetCurrentProcess().TotalProcessorTime;
                var (allocated, items) = (GC.GetTotalAllocatedBytes(), ThreadPool.CompletedWorkItemCount);
                using var sampler = Environment.GetEnvironmentVariable("GROVE_BENCH_ALLOC") is { Length: > 0 } ? new AllocSampler() : null;
                var took = await RunAsync(n, workers, cycle);
                sampler?.Print();
                var own = (Process.GetCurrentProcess().TotalProcessorTime - soloCpu).TotalMicroseconds / n;
                var (bytes, hops) = ((GC.GetTotalAllocatedBytes() - allocated) / (double)n, (ThreadPool.CompletedWorkItemCount - items) / (double)n);
                var theirs = (await ServerCpuAsync(admin.GetServer(config)) - serverCpu) * 1e6 / n;
                Console.WriteLine($"{parts[0]} alone, {workers} workers: {n / took.TotalSeconds:N0} messages/s, CPU per message µs: bench {own:N1}, redis-server {theirs:N1}, both {own + theirs:N1}; per message: {bytes:N0} B allocated, {hops:N2} thread-pool work items");
                return 0;
            }

            var gc = await RedisCommandsAsync(admin.GetServer(config), 2000, () => GroveCycleAsync(queues, "/r/q"));
            var pc = await RedisCommandsAsync(admin.GetServer(config), 2000, () => RedisPeerCycleAsync(db, "c0"));
            report.Add("Redis: commands per message (1 consumer; fewer is better)", gc.Commands, pc.Commands, "", higherIsBetter: false);
            report.Add("Redis: redis-server CPU per message (µs, user + sys; 1 consumer; fewer is better)", gc.CpuMicros, pc.CpuMicros, "", higherIsBetter: false);
            foreach (var c in new[] { 1, 4, 16 })
            {
                var cpu = new CpuPerCycle();
                var (g, p) = await PairAsync(n, c, () => GroveCycleAsync(queues, "/r/q"), () => RedisPeerCycleAsync(db, "c" + (Interlocked.Increment(ref worker) % c)), cpu);
                report.Add($"Redis Streams (same server), {c} consumer(s)", g, p, "/s");
                report.Add($"Redis: bench process CPU per message (µs), {c} consumer(s); fewer is better", cpu.Grove, cpu.Peer, "", higherIsBetter: false);
            }
        }

        report.Print();
        Console.WriteLine();
        Console.WriteLine("Grove on PostgreSQL: the queue at the root of a PostgreSQL store (content in the default bucket). Grove on Redis: the");
        Console.WriteLine("queue inside a redis(bench) mount with content in redis(bench) storage, the tree's own index and feed in SQLite.");
        return 0;
    }

    private static async Task GroveCycleAsync(QueueService queues, string queue)
    {
        await queues.PushAsync(queue, new MemoryStream(Payload, writable: false));
        while (true)
        {
            if (await queues.ClaimAsync(queue) is { } m)
            {
                await queues.AckAsync(queue, m.Receipt);
                return;
            }

            await Task.Yield();
        }
    }

    private static async Task RedisPeerCycleAsync(IDatabase db, string consumer)
    {
        await db.StreamAddAsync("peer:s", "b", Payload);
        while (true)
        {
            var got = await db.StreamReadGroupAsync("peer:s", "g", consumer, ">", 1);
            if (got.Length > 0)
            {
                await db.StreamAcknowledgeAsync("peer:s", "g", got[0].Id);
                return;
            }

            await Task.Yield();
        }
    }

    private static async Task<double> ServerCpuAsync(IServer s)
    {
        var cpu = (await s.InfoAsync("cpu")).SelectMany(g => g).ToDictionary(kv => kv.Key, kv => kv.Value);
        return double.Parse(cpu["used_cpu_user"], CultureInfo.InvariantCulture) + double.Parse(cpu["used_cpu_sys"], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Commands the Redis server processed per cycle (the commands a script runs included, and the script itself), and
    /// the server's CPU time per cycle (µs), one cycle at a time.
    /// </summary>
    private static async Task<(double Commands, double CpuMicros)> RedisCommandsAsync(IServer server, int cycles, Func<Task> cycle)
    {
        static async Task<long> ProcessedAsync(IServer s) =>
            long.Parse((await s.InfoAsync("stats")).SelectMany(g => g).First(kv => kv.Key == "total_commands_processed").Value, CultureInfo.InvariantCulture);

        static async Task<double> CpuAsync(IServer s)
        {
            var cpu = (await s.InfoAsync("cpu")).SelectMany(g => g).ToDictionary(kv => kv.Key, kv => kv.Value);
            return double.Parse(cpu["used_cpu_user"], CultureInfo.InvariantCulture) + double.Parse(cpu["used_cpu_sys"], CultureInfo.InvariantCulture);
        }

        var cpuBefore = await CpuAsync(server);
        var before = await ProcessedAsync(server);
        for (var i = 0; i < cycles; i++)
        {
            await cycle();
        }

        var commands = (await ProcessedAsync(server) - before - 1) / (double)cycles;
        return (commands, (await CpuAsync(server) - cpuBefore) * 1e6 / cycles);
    }

    /// <summary>Grove then the peer, twice, each with <paramref name="workers"/> workers sharing <paramref name="n"/> cycles.</summary>
    private static async Task<(double Grove, double Peer)> PairAsync(int n, int workers, Func<Task> grove, Func<Task> peer) =>
        await PairAsync(n, workers, grove, peer, new CpuPerCycle());

    /// <summary>As above; <paramref name="cpu"/> gets this process's CPU time per cycle (µs) of each side.</summary>
    private static async Task<(double Grove, double Peer)> PairAsync(int n, int workers, Func<Task> grove, Func<Task> peer, CpuPerCycle cpu)
    {
        var (g, p) = (TimeSpan.Zero, TimeSpan.Zero);
        var (gc, pc) = (TimeSpan.Zero, TimeSpan.Zero);
        for (var round = 0; round < 2; round++)
        {
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            g += await RunAsync(n / 2, workers, grove);
            var middle = Process.GetCurrentProcess().TotalProcessorTime;
            p += await RunAsync(n / 2, workers, peer);
            gc += middle - before;
            pc += Process.GetCurrentProcess().TotalProcessorTime - middle;
        }

        cpu.Grove = gc.TotalMicroseconds / n;
        cpu.Peer = pc.TotalMicroseconds / n;
        return (n / g.TotalSeconds, n / p.TotalSeconds);
    }

    private static async Task<TimeSpan> RunAsync(int cycles, int workers, Func<Task> cycle)
    {
        var left = cycles;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref left) >= 0)
            {
                await cycle();
            }
        })));
        return sw.Elapsed;
    }

    /// <summary>The bare PostgreSQL queue: INSERT; UPDATE … WHERE seq = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING; DELETE.</summary>
    private sealed class PgQueuePeer(NpgsqlDataSource ds) : IAsyncDisposable
    {
        public static async Task<PgQueuePeer> OpenAsync(string store)
        {
            var uri = new Uri(store);
            var ds = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
            {
                Host = uri.Host,
                Port = uri.Port > 0 ? uri.Port : 5432,
                Username = Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]),
                Password = uri.UserInfo.Contains(':', StringComparison.Ordinal) ? Uri.UnescapeDataString(uri.UserInfo.Split(':', 2)[1]) : null,
                Database = uri.AbsolutePath.Trim('/'),
                MaxAutoPrepare = 16,
            });
            await using var cmd = ds.CreateCommand("""
                DROP TABLE IF EXISTS peer_mq;
                CREATE TABLE peer_mq (seq BIGSERIAL PRIMARY KEY, body BYTEA NOT NULL, vis BIGINT NOT NULL, deliveries INT NOT NULL DEFAULT 0, receipt TEXT);
                CREATE INDEX peer_mq_ready ON peer_mq (vis, seq)
                """);
            await cmd.ExecuteNonQueryAsync();
            return new PgQueuePeer(ds);
        }

        public async Task CycleAsync()
        {
            var now = Environment.TickCount64;
            await using (var push = ds.CreateCommand("INSERT INTO peer_mq (body, vis) VALUES ($1, $2)"))
            {
                push.Parameters.Add(new NpgsqlParameter { Value = Payload });
                push.Parameters.Add(new NpgsqlParameter { Value = now });
                await push.ExecuteNonQueryAsync();
            }

            var receipt = Guid.NewGuid().ToString("N");
            while (true)
            {
                await using var claim = ds.CreateCommand("""
                    UPDATE peer_mq SET vis = $1, deliveries = deliveries + 1, receipt = $2
                    WHERE seq = (SELECT seq FROM peer_mq WHERE vis <= $3 ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING seq, body
                    """);
                claim.Parameters.Add(new NpgsqlParameter { Value = Environment.TickCount64 + 30_000 });
                claim.Parameters.Add(new NpgsqlParameter { Value = receipt });
                claim.Parameters.Add(new NpgsqlParameter { Value = Environment.TickCount64 });
                long? seq = null;
                await using (var r = await claim.ExecuteReaderAsync())
                {
                    if (await r.ReadAsync())
                    {
                        seq = r.GetInt64(0);
                    }
                }

                if (seq is { } s)
                {
                    await using var ack = ds.CreateCommand("DELETE FROM peer_mq WHERE seq = $1 AND receipt = $2");
                    ack.Parameters.Add(new NpgsqlParameter { Value = s });
                    ack.Parameters.Add(new NpgsqlParameter { Value = receipt });
                    await ack.ExecuteNonQueryAsync();
                    return;
                }

                await Task.Yield();
            }
        }

        /// <summary>
        /// Statements sent to PostgreSQL (every Npgsql data source in this process, counted by its activities) and WAL
        /// syncs (pg_stat_wal) per cycle, one cycle at a time.
        /// </summary>
        public async Task<(double Statements, double WalSyncs)> CountAsync(int cycles, Func<Task> cycle)
        {
            long statements = 0;
            using var listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name.StartsWith("Npgsql", StringComparison.Ordinal),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = _ => Interlocked.Increment(ref statements),
            };
            ActivitySource.AddActivityListener(listener);
            var syncs = await WalSyncsAsync();
            Interlocked.Exchange(ref statements, 0);
            for (var i = 0; i < cycles; i++)
            {
                await cycle();
            }

            var counted = Interlocked.Read(ref statements);

            // Note that backends publish their statistics at most once a second and on an idle timer (10 s).
            await Task.Delay(TimeSpan.FromSeconds(11));
            return (counted / (double)cycles, (await WalSyncsAsync() - syncs) / (double)cycles);
        }

        private async Task<long> WalSyncsAsync()
        {
            await using var cmd = ds.CreateCommand("SELECT wal_sync FROM pg_stat_wal");
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        public ValueTask DisposeAsync() => ds.DisposeAsync();
    }

    private sealed class CpuPerCycle
    {
        public double Grove { get; set; }

        public double Peer { get; set; }
    }
}
