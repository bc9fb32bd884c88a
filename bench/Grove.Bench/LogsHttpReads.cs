using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Grove.Client;
using Grove.Logs;

namespace Grove.Bench;

internal static partial class LogsHttpSuite
{
    private const int Pages = 2000;

    /// <summary>Random 1,000-line pages over HTTP (body read in full); p50 and p99, medians of the rounds.</summary>
    private static async Task<(double P50, double P99)> PagesAsync(Uri server, string token, string id, long lines)
    {
        using var http = new HttpClient { BaseAddress = server };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await http.GetByteArrayAsync($"/api/v1/logs/{id}/lines?from=0&limit=1000");
        var p50s = new List<double>();
        var p99s = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            var times = new List<double>(Pages);
            for (var i = 0; i < Pages; i++)
            {
                var from = (long)(new Random((round * Pages) + i).NextDouble() * Math.Max(1, lines - 1000));
                var sw = Stopwatch.StartNew();
                var body = await http.GetByteArrayAsync($"/api/v1/logs/{id}/lines?from={from}&limit=1000");
                times.Add(sw.Elapsed.TotalMilliseconds);
                if (i % 100 == 0)
                {
                    using var doc = JsonDocument.Parse(body);
                    var first = doc.RootElement.GetProperty("lines")[0];
                    if (doc.RootElement.GetProperty("lines").GetArrayLength() != 1000 || first.GetProperty("text").GetString() != BuildLog.Line(from).Text)
                    {
                        throw new InvalidOperationException($"page at {from} is wrong");
                    }
                }
            }

            var sorted = times.Order().ToList();
            p50s.Add(sorted[sorted.Count / 2]);
            p99s.Add(sorted[(int)(sorted.Count * 0.99)]);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  pages: p50 {string.Join(" / ", p50s.Select(p => p.ToString("0.00", CultureInfo.InvariantCulture)))} ms, p99 {string.Join(" / ", p99s.Select(p => p.ToString("0.00", CultureInfo.InvariantCulture)))} ms"));
        return (p50s.Order().ElementAt(Rounds / 2), p99s.Order().ElementAt(Rounds / 2));
    }

    /// <summary>One-line appends, each timed from the append's answer to the line arriving at an SSE follower.</summary>
    private static async Task FollowLatencyAsync(GroveClient grove, Uri server)
    {
        const int Count = 1000;
        var task = await grove.CreateLogTaskAsync("follow");
        var arrived = new long[Count];
        using var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", grove.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/logs/{task.Id}/follow?from=0");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var follower = Task.Run(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    var n = long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
                    Volatile.Write(ref arrived[n], Stopwatch.GetTimestamp());
                }
                else if (line.StartsWith("event: end", StringComparison.Ordinal))
                {
                    return;
                }
            }
        });
        var latencies = new List<double>(Count);
        for (var i = 0; i < Count; i++)
        {
            await grove.AppendLogLinesAsync(task.Id, [new LogLine(i, 0, "line " + i)]);
            var acked = Stopwatch.GetTimestamp();
            var spin = Stopwatch.StartNew();
            while (Volatile.Read(ref arrived[i]) == 0)
            {
                if (spin.Elapsed > TimeSpan.FromSeconds(10))
                {
                    throw new TimeoutException($"line {i} never reached the follower");
                }

                await Task.Yield();
            }

            latencies.Add(Math.Max(0, Stopwatch.GetElapsedTime(acked, arrived[i]).TotalMilliseconds));
        }

        await grove.FinishLogTaskAsync(task.Id, GroveLogStatus.Succeeded);
        await follower;
        var sorted = latencies.Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\n  follow over SSE, append answered -> line at the follower ({Count:N0} one-line appends): p50 {sorted[Count / 2]:0.000} ms, p99 {sorted[(int)(Count * 0.99)]:0.000} ms, max {sorted[^1]:0.0} ms (goal p99 ≤ 300 ms)"));
    }

    /// <summary>Ten clients download a log of over 1 GiB of text at once, gzip-encoded; the server's memory is sampled.</summary>
    private static async Task DownloadsAsync(ServerProcess server, string id, long lines)
    {
        const int Clients = 10;
        using var login = new GroveClient(server.Address);
        await login.LoginAsync("admin", ServerProcess.Password);
        var before = server.Rss();
        var peak = before;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, server.Rss());
                await Task.Delay(50);
            }
        });
        var sw = Stopwatch.StartNew();
        var sizes = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None }) { BaseAddress = server.Address, Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.Token);
            http.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip");
            using var response = await http.GetAsync($"/api/v1/logs/{id}/download", HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            await using var text = new System.IO.Compression.GZipStream(body, System.IO.Compression.CompressionMode.Decompress);
            var buffer = new byte[256 * 1024];
            long total = 0;
            int n;
            while ((n = await text.ReadAsync(buffer)) > 0)
            {
                total += n;
            }

            return total;
        }));
        var seconds = sw.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await sampler;
        var text = sizes[0];
        if (sizes.Any(s => s != text))
        {
            throw new InvalidOperationException("the downloads differ in size");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\n  {Clients} clients downloaded the {lines:N0}-line log at once, {text / 1073741824.0:0.00} GiB of text each (archived; gzip on the wire), in {seconds:0.0} s ({Clients * text / 1048576.0 / seconds:N0} MiB/s of text in all)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  server memory (a fresh process): {before / 1048576.0:N0} MB before, peak {peak / 1048576.0:N0} MB during (goal < 300 MB); VmHWM {server.PeakRss() / 1048576.0:N0} MB"));
    }
}
