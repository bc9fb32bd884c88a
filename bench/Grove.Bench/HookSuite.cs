using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Grove.Hooks;
using Grove.Queues;
using Grove.Tree;

namespace Grove.Bench;

/// <summary>
/// Hooks and watch: the time from a write's acknowledgement to its webhook's arrival at a local receiver (the writer
/// and the delivering node the same, then two nodes on one PostgreSQL database), and a watcher following the change
/// feed while writers are paced at 1,000 writes/s.
/// </summary>
internal static class HookSuite
{
    public static async Task<int> RunAsync(BenchArgs a)
    {
        var n = Math.Min(a.N, 2000);
        Directory.CreateDirectory(a.Dir);
        using var receiver = new Receiver();
        Console.WriteLine();
        Console.WriteLine($"## Hooks and watch ({(a.Store is null ? "SQLite" : "PostgreSQL")}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd})");
        Console.WriteLine();
        Console.WriteLine("| measure | p50 | p90 | p99 | max | goal |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        await using (var tree = await OpenAsync(a, "one"))
        await using (var queues = await QueueService.OpenAsync(tree))
        await using (var hooks = await HookService.OpenAsync(tree, queues))
        {
            await hooks.AddAsync("/h1", [ChangeKind.Create], receiver.Url, null);
            Print("hook, one node: write acknowledged → webhook received", await LatencyAsync(tree, "/h1", n, receiver), "p99 ≤ 100 ms");
        }

        if (a.Store is not null)
        {
            await using var writer = await OpenAsync(a, "two-a");
            await using var other = await OpenAsync(a, "two-b");
            await using var queues = await QueueService.OpenAsync(other);
            await using var hooks = await HookService.OpenAsync(other, queues);
            await hooks.AddAsync("/h2", [ChangeKind.Create], receiver.Url, null);
            Print("hook, two nodes: written on A, delivered by B", await LatencyAsync(writer, "/h2", n, receiver), "p99 ≤ 200 ms");
        }

        await using (var tree = await OpenAsync(a, "watch"))
        {
            await WatchAsync(tree, seconds: 5, rate: 1000);
        }

        return 0;
    }

    private static Task<TreeService> OpenAsync(BenchArgs a, string name) => TreeService.OpenAsync(new TreeOptions
    {
        Store = a.Store,
        DataPath = Path.Combine(a.Dir, name),
        LockDataFolder = a.Store is null,
        ReclaimInterval = TimeSpan.Zero,
    });

    private static async Task<List<double>> LatencyAsync(TreeService tree, string dir, int n, Receiver receiver)
    {
        await tree.MkdirAsync(dir);
        var lags = new List<double>(n);
        for (var i = 0; i < n; i++)
        {
            var path = $"{dir}/f{i:D6}";
            var arrived = receiver.Expect(path);
            await tree.CreateAsync(path, ObjectRace.File);
            var acked = Stopwatch.GetTimestamp();
            var at = await arrived.WaitAsync(TimeSpan.FromSeconds(30));
            lags.Add(Stopwatch.GetElapsedTime(acked, at).TotalMilliseconds);
        }

        return lags;
    }

    private static async Task WatchAsync(TreeService tree, int seconds, int rate)
    {
        await tree.MkdirAsync("/w");
        var start = tree.ChangeRevision;
        var written = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var lags = new ConcurrentBag<double>();
        var seen = 0;
        var total = seconds * rate;
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            try
            {
                await foreach (var page in tree.WatchAsync("/w", start, stop.Token))
                {
                    var now = Stopwatch.GetTimestamp();
                    foreach (var c in page.Changes)
                    {
                        if (written.TryGetValue(c.Path, out var t))
                        {
                            lags.Add(Stopwatch.GetElapsedTime(t, now).TotalMilliseconds);
                        }

                        if (Interlocked.Increment(ref seen) >= total)
                        {
                            return;
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        // Note that four writers are each paced at a quarter of the rate: one writer alone may not reach it.
        const int writers = 4;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < total; i += writers)
            {
                var due = TimeSpan.FromSeconds((double)i / rate);
                if (due > sw.Elapsed)
                {
                    await Task.Delay(due - sw.Elapsed);
                }

                var path = $"/w/f{i:D7}";
                await tree.CreateAsync(path, ObjectRace.File);
                written[path] = Stopwatch.GetTimestamp();
            }
        })));
        var writeSeconds = sw.Elapsed.TotalSeconds;
        await Task.WhenAny(watcher, Task.Delay(TimeSpan.FromSeconds(30)));
        var readSeconds = sw.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        Print($"watch: {total:N0} creates at {total / writeSeconds:N0}/s achieved; {seen:N0} events seen, all within {readSeconds:0.00} s; lag ack → event", [.. lags], "no gap, keeps up");
    }

    private static void Print(string what, List<double> lags, string goal)
    {
        if (lags.Count == 0)
        {
            Console.WriteLine($"| {what} | — | — | — | — | {goal} |");
            return;
        }

        lags.Sort();
        double P(double q) => lags[(int)Math.Min(lags.Count - 1, q * lags.Count)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} ({lags.Count:N0}) | {P(0.5):0.0} ms | {P(0.9):0.0} ms | {P(0.99):0.0} ms | {lags[^1]:0.0} ms | {goal} |"));
    }

    /// <summary>A local webhook receiver: completes the expectation of each event's path with its arrival time.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _waiting = new(StringComparer.Ordinal);

        public Receiver()
        {
            using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/hook/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Url { get; }

        public Task<long> Expect(string path) =>
            _waiting.GetOrAdd(path, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try
                {
                    ctx = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                var at = Stopwatch.GetTimestamp();
                using (var doc = await JsonDocument.ParseAsync(ctx.Request.InputStream))
                {
                    if (doc.RootElement.TryGetProperty("path", out var p) && p.GetString() is { } path)
                    {
                        _waiting.GetOrAdd(path, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(at);
                    }
                }

                ctx.Response.StatusCode = 204;
                ctx.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
