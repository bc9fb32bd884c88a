using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Grove.Bench;

/// <summary>
/// The server's memory budget (issue 12, defects 4 and 11): a Release server in a process of its own on a temporary
/// folder, its resident set (VmRSS) sampled every second and its peak (VmHWM) from /proc.
/// <c>import</c>: one config import zip of <c>--entries</c> × <c>--kib</c> KiB over HTTP. <c>load</c>: <c>--conns</c>
/// connections of mixed reads and writes (files, configs, log appends) for <c>--seconds</c>. Both then watch the
/// server idle for <c>--after</c> seconds. <c>--env NAME=VALUE</c> (repeatable) is passed to the server (GC settings).
/// </summary>
internal static class MemorySuite
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        var env = new Dictionary<string, string> { ["Grove__Config__RequestsPerWindow"] = "0" };
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--env" && args[i + 1].Split('=', 2) is [var k, var v])
            {
                env[k] = v;
            }
        }

        var what = args.FirstOrDefault() ?? "load";
        var dir = Path.Combine(Path.GetTempPath(), "grove-memory-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            await using var server = await ServerProcess.StartAsync(Path.Combine(dir, "data"), environment: env);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(10) };
            var token = await LoginAsync(http);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var settings = string.Join(' ', env.Where(e => e.Key.StartsWith("DOTNET_", StringComparison.Ordinal)).Select(e => $"{e.Key}={e.Value}"));
            Console.WriteLine($"# server memory: {what}, Release server (pid {server.Pid}){(settings.Length > 0 ? ", " + settings : "")}, {Environment.ProcessorCount} cores");
            using var sampler = new RssSampler(server);
            var after = Int("--after", 60);
            var rounds = what == "import" ? 1 : Int("--rounds", 2);
            var rows = new List<string>();
            var reports = new List<string>();
            string Split() => $"RssAnon {Mib(server.Status("RssAnon:"))} MiB, RssFile {Mib(server.Status("RssFile:"))} MiB, RssShmem {Mib(server.Status("RssShmem:"))} MiB";
            var splits = new List<string> { "at the start: " + Split() };
            for (var round = 1; round <= rounds; round++)
            {
                var start = server.Rss();
                var first = sampler.Samples.Count;
                var watch = Stopwatch.StartNew();
                reports.Add(what switch
                {
                    "import" => await ImportAsync(http, Int("--entries", 2500), Int("--kib", 100)),
                    "load" => await MixedLoad.RunAsync(http, Int("--conns", 200), Int("--seconds", 30), round),
                    _ => throw new ArgumentException($"memory import|load, not {what}"),
                });
                var elapsed = watch.Elapsed.TotalSeconds;
                var atEnd = server.Rss();
                var peak = Math.Max(atEnd, sampler.Samples.Skip(first).DefaultIfEmpty(0).Max());
                await Task.Delay(TimeSpan.FromSeconds(after));
                var settled = server.Rss();
                splits.Add($"round {round}, {after} s later: " + Split());
                rows.Add($"| {round} | {Mib(start)} | {Mib(peak)} | {Mib(atEnd)} | {Mib(settled)} | {(double)settled / start:0.00} | {elapsed:0.0} s |");
            }

            var figures = await http.GetStringAsync("/api/v1/admin/memory");
            var split = Split();
            reports.ForEach(Console.WriteLine);
            Console.WriteLine($"| round | RSS start | peak | at end | {after} s later | later/start | time |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
            rows.ForEach(Console.WriteLine);
            Console.WriteLine($"peak RSS of the run (VmHWM): {Mib(server.PeakRss())} MiB");
            Console.WriteLine($"RSS per second (MiB): {string.Join(' ', sampler.Samples.Select(Mib))}");
            splits.ForEach(Console.WriteLine);
            Console.WriteLine($"at the end: {split}; GET /api/v1/admin/memory: {figures}");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    internal static string Mib(long bytes) => (bytes >> 20).ToString(CultureInfo.InvariantCulture);

    private static async Task<string> LoginAsync(HttpClient http)
    {
        using var r = await http.PostAsJsonAsync("/api/v1/auth/login", new { user = "admin", password = ServerProcess.Password });
        r.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>The import zip of defect 4: <paramref name="entries"/> text configs of <paramref name="kib"/> KiB (compressible, like real configs).</summary>
    public static byte[] ImportZip(int entries, int kib)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            var line = Encoding.UTF8.GetBytes("service.endpoint.timeout.milliseconds = 1500 # a typical line of a big config file\n");
            var body = new byte[kib * 1024];
            for (var i = 0; i < body.Length; i++)
            {
                body[i] = line[i % line.Length];
            }

            for (var i = 0; i < entries; i++)
            {
                var tag = Encoding.UTF8.GetBytes($"# config {i:D6}\n");
                tag.CopyTo(body, 0);
                var entry = archive.CreateEntry($"GROUP{i % 10}/config-{i:D6}.txt", CompressionLevel.SmallestSize);
                using var s = entry.Open();
                s.Write(body);
            }
        }

        return zip.ToArray();
    }

    private static async Task<string> ImportAsync(HttpClient http, int entries, int kib)
    {
        var zip = ImportZip(entries, kib);
        var watch = Stopwatch.StartNew();
        using var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var r = await http.PostAsync("/api/v1/config/import?policy=overwrite", content);
        var answer = await r.Content.ReadAsStringAsync();
        if (!r.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"import answered {(int)r.StatusCode}: {answer[..Math.Min(answer.Length, 500)]}");
        }

        return $"import of {entries:N0} entries × {kib} KiB ({zip.Length / 1024:N0} KiB zip, {(long)entries * kib / 1024:N0} MiB of content): {(int)r.StatusCode} in {watch.Elapsed.TotalSeconds:0.0} s";
    }

    /// <summary>Samples a process's RSS every second until disposed.</summary>
    private sealed class RssSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<long> _samples = [];
        private readonly Task _loop;

        public RssSampler(ServerProcess server)
        {
            _loop = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
                do
                {
                    lock (_samples)
                    {
                        _samples.Add(server.Rss());
                    }
                }
                while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
            });
        }

        public IReadOnlyList<long> Samples
        {
            get
            {
                lock (_samples)
                {
                    return [.. _samples];
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait();
            _stop.Dispose();
        }
    }
}
