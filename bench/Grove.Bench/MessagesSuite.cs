using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Grove.Config;
using Grove.Messages;
using Grove.Tree;
using Microsoft.Data.Sqlite;

namespace Grove.Bench;

/// <summary>
/// Partner messages, in process, side by side with the seed's version 2 (one row per field in SQLite): receiving
/// 220-field messages of 6–8 KB (Chinese values), the storage they take, and printing one as PDF.
/// </summary>
internal static class MessagesSuite
{
    private const int Fields = 220;

    public static async Task<int> RunAsync(int n, bool http = true)
    {
        var root = Directory.CreateTempSubdirectory("grove-bench-msg-").FullName;
        try
        {
            var bodies = Enumerable.Range(0, n).Select(i => Encoding.UTF8.GetBytes(Message(i))).ToArray();
            Console.WriteLine($"messages: {n} of {bodies.Average(b => b.Length) / 1024:F1} KiB average, {Fields} fields");

            await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = Path.Join(root, "grove") });
            await using var config = await ConfigEngine.OpenAsync(tree, new ConfigOptions { RunTimers = false, MasterKey = new byte[32] });
            await config.PublishAsync(new PublishRequest { Key = ConfigKey.Create("b.waybill", MessageMapping.ConfigGroup), Content = Mapping(), Type = ConfigType.Json });
            await using var engine = await MessageEngine.OpenAsync(tree, config);

            var sw = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < n)
                {
                    await engine.ReceiveAsync(new ReceiveRequest { Partner = "b", Type = "waybill", Body = bodies[i] });
                }
            })));
            var groveRate = n / sw.Elapsed.TotalSeconds;
            var groveCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / n;

            var peerFile = Path.Join(root, "peer.db");
            var texts = bodies.Select(b => Encoding.UTF8.GetString(b)).ToArray();
            sw.Restart();
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            await PeerAsync(peerFile, texts);
            var peerRate = n / sw.Elapsed.TotalSeconds;
            var peerCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / n;
            Console.WriteLine($"receive (engine, 4 tasks): Grove {groveRate:F0} msg/s, {groveCpu:F0} µs CPU each · row-per-field SQLite {peerRate:F0} msg/s, {peerCpu:F0} µs CPU each · ratio {groveRate / peerRate:F2}× (CPU {peerCpu / groveCpu:F2}×)");
            if (http && MessagesWrk.Available)
            {
                foreach (var (conns, rate, serverCpu, errors) in await MessagesWrk.RunAsync(Path.Join(root, "wrk-server"), bodies, [16, 64], 20))
                {
                    Console.WriteLine($"receive over HTTP (wrk -t1 -c{conns} -d20s, partner API key, sourceId given): Grove {rate:F0} msg/s, server {serverCpu:F0} µs CPU each, {errors} errors · ratio to the peer {rate / peerRate:F2}× (CPU {peerCpu / serverCpu:F2}×)");
                }
            }
            else if (http)
            {
                var (httpRate, serverCpu) = await HttpAsync(Path.Join(root, "server"), bodies);
                Console.WriteLine($"receive over HTTP (server process, 16 connections, sourceId given): Grove {httpRate:F0} msg/s, server {serverCpu:F0} µs CPU each · ratio to the peer {httpRate / peerRate:F2}× (CPU {peerCpu / serverCpu:F2}×)");
            }

            var (count, bytes) = await engine.StatsAsync();
            var peerBytes = await TableBytesAsync(peerFile, "rows");
            var groveBytes = await TableBytesAsync(Path.Join(root, "grove", "index.db"), "grove_msg_messages");
            Console.WriteLine($"storage: Grove {groveBytes / 1048576.0:F1} MiB (payload {bytes / 1048576.0:F1} MiB, {count} rows) · row-per-field {peerBytes / 1048576.0:F1} MiB ({(long)n * Fields} rows) · ratio {100.0 * groveBytes / peerBytes:F0}%");

            var id = (await engine.QueryAsync(new MessageQuery { Limit = 1 })).Items[0].Id;
            var times = new List<double>();
            for (var i = 0; i < 120; i++)
            {
                using var pdf = new MemoryStream();
                sw.Restart();
                await engine.PrintAsync(id, pdf);
                if (i >= 20)
                {
                    times.Add(sw.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            Console.WriteLine($"print one {Fields}-field message: p50 {times[times.Count / 2]:F1} ms · p99 {times[(int)(times.Count * 0.99)]:F1} ms");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Messages posted to a server process (its own data folder) by 16 concurrent connections; messages per second.</summary>
    private static async Task<(double Rate, double ServerCpuUs)> HttpAsync(string data, byte[][] bodies)
    {
        await using var server = await ServerProcess.StartAsync(data);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
        using (var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { user = "admin", password = ServerProcess.Password }))
        {
            login.EnsureSuccessStatusCode();
            using var doc = System.Text.Json.JsonDocument.Parse(await login.Content.ReadAsStringAsync());
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", doc.RootElement.GetProperty("token").GetString());
        }

        using (var put = await http.PutAsJsonAsync($"/api/v1/config/items/{MessageMapping.ConfigGroup}/b.waybill", new { content = Mapping(), type = "json" }))
        {
            put.EnsureSuccessStatusCode();
        }

        async Task SendAsync(int i)
        {
            using var content = new ByteArrayContent(bodies[i]);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var r = await http.PostAsync($"/api/v1/messages/b/waybill?sourceId=m-{i}", content);
            if (r.StatusCode != System.Net.HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"message {i}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            }
        }

        // Note that a first few hundred warm the server (JIT, pools) and are not counted.
        var warm = Math.Min(500, bodies.Length / 10);
        for (var i = 0; i < warm; i++)
        {
            await SendAsync(i);
        }

        var next = warm - 1;
        using var serverProcess = Process.GetProcessById(server.Pid);
        var cpu = serverProcess.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Length)
            {
                await SendAsync(i);
            }
        })));
        var rate = (bodies.Length - warm) / sw.Elapsed.TotalSeconds;
        serverProcess.Refresh();
        return (rate, (serverProcess.TotalProcessorTime - cpu).TotalMicroseconds / (bodies.Length - warm));
    }

    private static async Task<long> TableBytesAsync(string file, string table)
    {
        // Note that the compacted copy (VACUUM INTO) holds the table, its indexes and little else (the bench's few configs).
        var copy = file + ".compact";
        await using (var c = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "VACUUM INTO @p";
            cmd.Parameters.AddWithValue("@p", copy);
            await cmd.ExecuteNonQueryAsync();
        }

        _ = table;
        return new FileInfo(copy).Length;
    }

    private static async Task PeerAsync(string file, string[] bodies)
    {
        await using var c = new SqliteConnection($"Data Source={file};Pooling=False");
        await c.OpenAsync();
        await using (var ddl = c.CreateCommand())
        {
            ddl.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE rows (id INTEGER PRIMARY KEY, msg_id TEXT NOT NULL, display TEXT NOT NULL, field TEXT NOT NULL, value TEXT); CREATE INDEX rows_msg ON rows (msg_id);";
            await ddl.ExecuteNonQueryAsync();
        }

        await using var insert = c.CreateCommand();
        insert.CommandText = "INSERT INTO rows (msg_id, display, field, value) VALUES (@m, @d, @f, @v)";
        var pm = insert.Parameters.Add("@m", SqliteType.Text);
        var pd = insert.Parameters.Add("@d", SqliteType.Text);
        var pf = insert.Parameters.Add("@f", SqliteType.Text);
        var pv = insert.Parameters.Add("@v", SqliteType.Text);
        for (var i = 0; i < bodies.Length; i++)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(bodies[i]);
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync();
            insert.Transaction = tx;
            var f = 0;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                pm.Value = "m-" + i.ToString(CultureInfo.InvariantCulture);
                pd.Value = Display(f++);
                pf.Value = p.Name;
                pv.Value = p.Value.ToString();
                await insert.ExecuteNonQueryAsync();
            }

            await tx.CommitAsync();
        }
    }

    private static string Display(int f) => "字段名称" + f.ToString(CultureInfo.InvariantCulture);

    private static readonly string[] Words = ["上海", "北京", "广州", "深圳", "仓库", "货物", "运输", "有限公司", "物流", "电子", "配件", "华东", "分拨中心", "收货人", "发货人"];

    /// <summary>A realistic message: 220 fields, numbers, dates, codes and Chinese text, 6–8 KB.</summary>
    public static string Message(int i)
    {
        var r = new Random(i);
        var sb = new StringBuilder("{");
        for (var f = 0; f < Fields; f++)
        {
            if (f > 0)
            {
                sb.Append(',');
            }

            sb.Append("\"f").Append(f.ToString("D3", CultureInfo.InvariantCulture)).Append("\":");
            switch (f % 5)
            {
                case 0:
                    sb.Append('"').Append("WB").Append((i * 1000 + f).ToString("D10", CultureInfo.InvariantCulture)).Append('"');
                    break;
                case 1:
                    sb.Append((r.Next(1, 100000) / 100.0).ToString(CultureInfo.InvariantCulture));
                    break;
                case 2:
                    sb.Append("\"2026-").Append(r.Next(1, 13).ToString("D2", CultureInfo.InvariantCulture)).Append("-1").Append(r.Next(0, 10)).Append("T08:30:00+08:00\"");
                    break;
                default:
                    sb.Append('"');
                    for (var w = r.Next(2, 7); w > 0; w--)
                    {
                        sb.Append(Words[r.Next(Words.Length)]);
                    }

                    sb.Append('"');
                    break;
            }
        }

        return sb.Append('}').ToString();
    }

    public static string Mapping()
    {
        var sb = new StringBuilder("{\"keys\": [\"f000\"], \"fields\": [");
        for (var f = 0; f < Fields; f++)
        {
            var type = (f % 5) switch { 1 => "decimal", 2 => "date-time", _ => "string" };
            sb.Append(f > 0 ? "," : "").Append($"{{\"path\": \"f{f:D3}\", \"name\": \"f{f:D3}\", \"display\": \"{Display(f)}\", \"type\": \"{type}\"}}");
        }

        return sb.Append("]}").ToString();
    }
}
