using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Grove.Bench;

/// <summary>
/// Mixed load over HTTP from many connections at once, each a loop of: file reads (30%) and writes (15%, 4 KiB),
/// config reads through Nacos's route (30%) and publishes (10%, 2 KiB), and log appends (15%, 20 lines per batch,
/// one task per connection).
/// </summary>
internal static class MixedLoad
{
    private const int Files = 1000;
    private const int Configs = 200;

    public static async Task<string> RunAsync(HttpClient http, int conns, int seconds, int round)
    {
        var file = new byte[4096];
        Random.Shared.NextBytes(file);
        if (round == 1)
        {
            await SeedAsync(http, file);
        }

        var counts = new long[5];
        long errors = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, conns).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            string? task = null;
            long next = 0;
            while (!stop.IsCancellationRequested)
            {
                var pick = random.Next(100);
                var op = pick < 30 ? 0 : pick < 45 ? 1 : pick < 75 ? 2 : pick < 85 ? 3 : 4;
                try
                {
                    HttpResponseMessage r;
                    switch (op)
                    {
                        case 0:
                            r = await http.GetAsync($"/api/v1/files/load/f{random.Next(Files)}.bin", HttpCompletionOption.ResponseContentRead);
                            break;
                        case 1:
                            r = await http.PutAsync($"/api/v1/files/load/w{w}-{random.Next(20)}.bin", new ByteArrayContent(file));
                            break;
                        case 2:
                            r = await http.GetAsync($"/nacos/v1/cs/configs?dataId=c{random.Next(Configs)}.properties&group=LOAD");
                            break;
                        case 3:
                            var c = random.Next(Configs);
                            r = await http.PutAsJsonAsync($"/api/v1/config/items/LOAD/c{c}.properties", new { content = Config(c, random.Next()) });
                            break;
                        default:
                            if (task is null)
                            {
                                using var created = await http.PostAsJsonAsync("/api/v1/logs", new { name = $"load {round}.{w}" });
                                created.EnsureSuccessStatusCode();
                                using var doc = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
                                task = doc.RootElement.GetProperty("id").GetString();
                            }

                            var t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                            var lines = Enumerable.Range(0, 20).Select(k => new { n = next + k, t, text = $"worker {w} line {next + k}: building module {k} of the solution, all fine" }).ToList();
                            r = await http.PostAsJsonAsync($"/api/v1/logs/{task}/lines", new { lines });
                            next += 20;
                            break;
                    }

                    using (r)
                    {
                        await r.Content.LoadIntoBufferAsync();
                        if (!r.IsSuccessStatusCode)
                        {
                            Interlocked.Increment(ref errors);
                        }
                    }

                    Interlocked.Increment(ref counts[op]);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToList();
        await Task.WhenAll(workers);
        var s = watch.Elapsed.TotalSeconds;
        var total = counts.Sum();
        return string.Create(CultureInfo.InvariantCulture,
            $"mixed load, round {round}: {conns} connections for {s:0} s: {total / s:N0} requests/s (file reads {counts[0]:N0}, file writes {counts[1]:N0}, config reads {counts[2]:N0}, publishes {counts[3]:N0}, log batches {counts[4]:N0}), {errors} errors");
    }

    private static async Task SeedAsync(HttpClient http, byte[] file)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, Files), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var r = await http.PutAsync($"/api/v1/files/load/f{i}.bin", new ByteArrayContent(file), ct);
            r.EnsureSuccessStatusCode();
        });
        await Parallel.ForEachAsync(Enumerable.Range(0, Configs), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var r = await http.PutAsJsonAsync($"/api/v1/config/items/LOAD/c{i}.properties", new { content = Config(i, 0) }, ct);
            r.EnsureSuccessStatusCode();
        });
    }

    private static string Config(int i, int version)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# config {i} version {version}\n");
        for (var k = 0; sb.Length < 2048; k++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"app.setting{k}=value {version} {k}\n");
        }

        return sb.ToString();
    }
}
