using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Grove.Bench;

/// <summary>
/// The config center over HTTP against a running server (bench/config-http.sh starts it, and etcd as the peer):
/// change push to long-polling Nacos clients after a publish, the memory of many held long polls, and publishes per
/// second next to etcd's puts through its HTTP gateway. Each simulated client connects from its own loopback address
/// (127.x.y.z), as clients on a network would, so per-address caps and the listeners page see them apart.
/// Environment knobs for the held-polls part: <c>HOLD_SECONDS</c> (how long to sample RSS, 5), <c>HOLD_TRACE=1</c>
/// (print each sample), <c>OPEN_PER_SECOND</c> (pace the opening instead of opening all at once).
/// </summary>
internal static class ConfigHttpSuite
{
    private const string Group = "BENCH";

    public static async Task<int> RunAsync(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var server = new Uri(Get("--server", "http://127.0.0.1:7070"));
        var token = Get("--token", "");
        var pid = int.Parse(Get("--pid", "0"), CultureInfo.InvariantCulture);
        var etcd = Get("--etcd", "");
        var polls = int.Parse(Get("--polls", "1000"), CultureInfo.InvariantCulture);
        var held = int.Parse(Get("--held", "10000"), CultureInfo.InvariantCulture);
        var seconds = double.Parse(Get("--seconds", "5"), CultureInfo.InvariantCulture);
        var what = Get("--only", "push,held,publish");

        using var api = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (what.Contains("push", StringComparison.Ordinal))
        {
            await PushAsync(server, api, polls);
        }

        if (what.Contains("held", StringComparison.Ordinal))
        {
            await HeldAsync(server, api, held, pid);
        }

        if (what.Contains("publish", StringComparison.Ordinal))
        {
            await PublishesAsync(api, etcd, seconds);
        }

        return 0;
    }

    /// <summary>A client whose connections come from one loopback address (a distinct client as the server sees it).</summary>
    private static HttpClient ClientFrom(Uri server, IPAddress local) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (ctx, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Bind(new IPEndPoint(local, 0));
            await socket.ConnectAsync(ctx.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    {
        BaseAddress = server,
        Timeout = TimeSpan.FromMinutes(5),
    };

    private static IPAddress Address(int i) => new([127, (byte)(1 + (i / 62500)), (byte)(i / 250 % 250), (byte)((i % 250) + 1)]);

    private static async Task<string> Md5Async(HttpClient api, string dataId)
    {
        using var response = await api.GetAsync($"/nacos/v1/cs/configs?dataId={dataId}&group={Group}");
        response.EnsureSuccessStatusCode();
        var bytes = await response.Content.ReadAsByteArrayAsync();
#pragma warning disable CA5351 // MD5 is the protocol's content fingerprint, not a security measure.
        return Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351
    }

    private static Task<HttpResponseMessage> ListenAsync(HttpClient client, string dataId, string md5, int timeoutMs, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/nacos/v1/cs/configs/listener")
        {
            Content = new FormUrlEncodedContent([new("Listening-Configs", $"{dataId}\u0002{Group}\u0002{md5}\u0001")]),
        };
        request.Headers.Add("Long-Pulling-Timeout", timeoutMs.ToString(CultureInfo.InvariantCulture));
        return client.SendAsync(request, ct);
    }

    private static async Task<JsonElement> StatsAsync(HttpClient api)
    {
        using var doc = JsonDocument.Parse(await api.GetStringAsync("/api/v1/config/stats"));
        return doc.RootElement.Clone();
    }

    private static async Task WaitForPollsAsync(HttpClient api, int count)
    {
        var sw = Stopwatch.StartNew();
        while ((await StatsAsync(api)).GetProperty("longPolls").GetInt32() < count)
        {
            if (sw.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"the server never held {count} long polls");
            }

            await Task.Delay(50);
        }
    }

    private static Task PublishAsync(HttpClient api, string dataId, string content) =>
        api.PutAsync($"/api/v1/config/items/{Group}/{dataId}", JsonContent(new { content })).ContinueWith(t => t.Result.EnsureSuccessStatusCode(), TaskScheduler.Default);

    private static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    private static async Task PushAsync(Uri server, HttpClient api, int count)
    {
        const string hot = "bench-0.properties";
        var md5 = await Md5Async(api, hot);
        var clients = Enumerable.Range(0, count).Select(i => ClientFrom(server, Address(i))).ToList();
        var done = new long[count];
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var polls = clients.Select(async (c, i) =>
        {
            using var response = await ListenAsync(c, hot, md5, 60_000, stop.Token);
            var body = await response.Content.ReadAsStringAsync(stop.Token);
            done[i] = Stopwatch.GetTimestamp();
            return body.Length > 0;
        }).ToList();
        await WaitForPollsAsync(api, count);

        await PublishAsync(api, hot, "k=" + new string('y', 5100));
        var acked = Stopwatch.GetTimestamp();
        var answered = await Task.WhenAll(polls);
        var ms = done.Select(t => Math.Max(0, (t - acked) * 1000.0 / Stopwatch.Frequency)).Order().ToArray();
        Console.WriteLine();
        Console.WriteLine($"## Change push over HTTP: {count} Nacos long polls (each from its own address), woken by one publish");
        Console.WriteLine();
        Console.WriteLine("| woken with the change | p50 | p90 | p99 | max | goal |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {answered.Count(a => a)} of {count} | {ms[count / 2]:0.0} ms | {ms[(int)(count * 0.9)]:0.0} ms | {ms[Math.Min(count - 1, (int)(count * 0.99))]:0.0} ms | {ms[^1]:0.0} ms | p99 ≤ 100 ms after the publish's answer |"));
        foreach (var c in clients)
        {
            c.Dispose();
        }
    }

    private static long RssMib(int pid) =>
        pid <= 0 ? -1 : long.Parse(File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;

    private static async Task HeldAsync(Uri server, HttpClient api, int count, int pid)
    {
        var md5s = new Dictionary<string, string>();
        for (var k = 0; k < 200; k++)
        {
            md5s[$"bench-{k}.properties"] = await Md5Async(api, $"bench-{k}.properties");
        }

        GC.Collect();
        var before = RssMib(pid);
        var clients = Enumerable.Range(0, count).Select(i => ClientFrom(server, Address(10_000 + i))).ToList();
        using var stop = new CancellationTokenSource();
        var perSecond = int.Parse(Environment.GetEnvironmentVariable("OPEN_PER_SECOND") ?? "0", CultureInfo.InvariantCulture);
        var pace = Stopwatch.StartNew();
        var polls = clients.Select(async (c, i) =>
        {
            if (perSecond > 0 && TimeSpan.FromSeconds((double)i / perSecond) - pace.Elapsed is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait);
            }

            var dataId = $"bench-{1 + (i % 199)}.properties";
            try
            {
                using var response = await ListenAsync(c, dataId, md5s[dataId], 120_000, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }).ToList();
        var sw = Stopwatch.StartNew();
        await WaitForPollsAsync(api, count);
        var opened = sw.Elapsed;
        var during = RssMib(pid);
        var peak = during;
        var holdFor = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("HOLD_SECONDS") ?? "5", CultureInfo.InvariantCulture));
        var held = Stopwatch.StartNew();
        while (held.Elapsed < holdFor)
        {
            await Task.Delay(250);
            var now = RssMib(pid);
            peak = Math.Max(peak, now);
            if (Environment.GetEnvironmentVariable("HOLD_TRACE") is not null)
            {
                Console.Error.WriteLine($"{held.Elapsed.TotalSeconds:0.0} s: {now} MiB");
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(polls);
        foreach (var c in clients)
        {
            c.Dispose();
        }

        Console.WriteLine();
        Console.WriteLine($"## {count:N0} long polls held by one node (each a connection from its own address)");
        Console.WriteLine();
        Console.WriteLine("| server RSS before | while held (peak over 5 s) | per poll | opened in | goal |");
        Console.WriteLine("|---:|---:|---:|---:|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {before} MiB | {peak} MiB | {(peak - before) * 1024.0 / count:0.0} KiB | {opened.TotalSeconds:0.0} s | < 300 MB for the node ✔ when under 286 MiB |"));
    }

    private static async Task PublishesAsync(HttpClient api, string etcd, double seconds)
    {
        Console.WriteLine();
        Console.WriteLine("## Publishes of 5 KiB over HTTP (SQLite store): Grove PUT /api/v1/config/items vs etcd PUT /v3/kv/put (its HTTP gateway)");
        Console.WriteLine();
        Console.WriteLine("| writers | Grove publishes/s | Grove p99 | etcd puts/s | etcd p99 | Grove / etcd |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        using var etcdClient = etcd.Length == 0 ? null : new HttpClient { BaseAddress = new Uri(etcd) };
        var body = "k=" + new string('p', 5100);
        var b64Value = Convert.ToBase64String(Encoding.UTF8.GetBytes(body));
        foreach (var writers in new[] { 1, 16, 64 })
        {
            var (grove, groveP99) = await RateAsync(writers, seconds, (w, n) =>
                api.PutAsync($"/api/v1/config/items/{Group}/pub-{w}-{n % 4}.properties", JsonContent(new { content = body + n })));
            var (peer, peerP99) = etcdClient is null ? (0d, 0d) : await RateAsync(writers, seconds, (w, n) =>
                etcdClient.PostAsync("/v3/kv/put", JsonContent(new { key = Convert.ToBase64String(Encoding.UTF8.GetBytes($"/config/{Group}/pub-{w}-{n % 4}.properties")), value = b64Value })));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {writers} | {grove:N0} | {groveP99:0.0} ms | {peer:N0} | {peerP99:0.0} ms | {(peer > 0 ? grove / peer : double.NaN):0.00}× |"));
        }
    }

    /// <summary>Runs <paramref name="writers"/> loops for <paramref name="seconds"/>; answers the rate of successes and the p99 latency.</summary>
    private static async Task<(double Rate, double P99)> RateAsync(int writers, double seconds, Func<int, int, Task<HttpResponseMessage>> send)
    {
        var latencies = new List<double>[writers];
        var failures = 0;
        var sw = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
        {
            var mine = latencies[w] = [];
            for (var n = 0; sw.Elapsed < until; n++)
            {
                var t = Stopwatch.GetTimestamp();
                using var response = await send(w, n);
                if (response.IsSuccessStatusCode)
                {
                    mine.Add((Stopwatch.GetTimestamp() - t) * 1000.0 / Stopwatch.Frequency);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        if (failures > 0)
        {
            Console.Error.WriteLine($"{failures} requests failed");
        }

        return (all.Length / sw.Elapsed.TotalSeconds, all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))]);
    }
}
