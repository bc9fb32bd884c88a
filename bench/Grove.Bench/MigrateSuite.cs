using System.Diagnostics;
using Grove.Config;
using Grove.Messages;
using Grove.Tree;
using Microsoft.Data.Sqlite;

namespace Grove.Bench;

/// <summary>
/// <c>grove messages migrate</c> in process from a generated legacy SQLite table (220 fields, 6–8 KB per message),
/// side by side with a bare full scan of the same table (the limit: reading it).
/// </summary>
internal static class MigrateSuite
{
    public static async Task<int> RunAsync(int n, int workers)
    {
        var root = Directory.CreateTempSubdirectory("grove-bench-migrate-").FullName;
        try
        {
            var legacy = Path.Join(root, "legacy.db");
            var sw = Stopwatch.StartNew();
            var rows = await LegacyGenerator.SqliteAsync(legacy, n);
            TimeSpan cpu;
            Console.WriteLine($"legacy: {n:N0} messages, {rows:N0} rows, {new FileInfo(legacy).Length / 1048576.0:F0} MiB (generated in {sw.Elapsed.TotalSeconds:F0} s)");

            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var scan = await ScanAsync(legacy);
            var scanCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / rows;
            Console.WriteLine($"bare full scan (SELECT msg_id, corp, field, value, one reader): {scan:N0} rows/s");

            await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = Path.Join(root, "grove") });
            await using var config = await ConfigEngine.OpenAsync(tree, new ConfigOptions { RunTimers = false, MasterKey = new byte[32] });
            await using var engine = await MessageEngine.OpenAsync(tree, config);
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var moveCpu = 0.0;
            var report = await engine.MigrateAsync(new MigrationOptions
            {
                From = "sqlite:" + legacy,
                Table = "legacy_rows",
                IdColumn = "msg_id",
                PartnerColumn = "corp",
                FieldColumn = "field",
                ValueColumn = "value",
                TimeColumn = "created",
                Type = "waybill",
                ConfigTable = "legacy_fields",
                ConfigPartnerColumn = "corp",
                Keys = ["f000"],
                Workers = workers,
                RangeSize = 500,
            }, new Done(() => moveCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / rows));
            var migrateCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / rows;
            Console.Write(report.ToText());
            var scanAgain = await ScanAsync(legacy);
            Console.WriteLine($"bare full scan again: {scanAgain:N0} rows/s");
            var reference = (scan + scanAgain) / 2;
            Console.WriteLine($"migration ({workers} workers): {report.RowsPerSecond:N0} rows/s · {report.RowsPerSecond / reference:F2}× the bare scan ({reference:N0} rows/s) · verification {report.VerifyElapsed.TotalSeconds:F1} s");
            Console.WriteLine($"CPU per legacy row: bare scan {scanCpu:F2} µs · migration {moveCpu:F2} µs moving, {migrateCpu:F2} µs with verification · ratio {scanCpu / moveCpu:F2}× ({scanCpu / migrateCpu:F2}× with verification)");
            var (count, bytes) = await engine.StatsAsync();
            Console.WriteLine($"stored: {count:N0} messages, payload {bytes / 1048576.0:F0} MiB; index.db {new FileInfo(Path.Join(root, "grove", "index.db")).Length / 1048576.0:F0} MiB vs legacy file {new FileInfo(legacy).Length / 1048576.0:F0} MiB");
            return report.Ok ? 0 : 1;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed class Done(Action done) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value)
        {
            if (value.RangesDone == value.Ranges)
            {
                done();
            }
        }
    }

    private static async Task<double> ScanAsync(string file)
    {
        await using var c = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT msg_id, corp, field, value FROM legacy_rows";
        var sw = Stopwatch.StartNew();
        long rows = 0, chars = 0;
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            chars += r.GetInt64(0) + r.GetString(1).Length + r.GetString(2).Length + (r.IsDBNull(3) ? 0 : r.GetString(3).Length);
            rows++;
        }

        GC.KeepAlive(chars);
        return rows / sw.Elapsed.TotalSeconds;
    }
}

/// <summary>Where a migration's CPU goes, stage by stage, on one thread (reading ranges, mapping, compressing).</summary>
internal static class MigrateStages
{
    public static async Task<int> RunAsync(int n)
    {
        var root = Directory.CreateTempSubdirectory("grove-bench-stages-").FullName;
        try
        {
            var legacy = Path.Join(root, "legacy.db");
            await LegacyGenerator.SqliteAsync(legacy, n);
            var o = new MigrationOptions { From = "sqlite:" + legacy, Table = "legacy_rows", IdColumn = "msg_id", PartnerColumn = "corp", FieldColumn = "field", ValueColumn = "value", TimeColumn = "created" };
            await using var source = Grove.Messages.Internal.Migration.LegacySource.Open(o.From);
            await using var c = await source.OpenAsync(default);
            await using var reader = new Grove.Messages.Internal.Migration.LegacyReader(c, o);
            var msgs = new List<Grove.Messages.Internal.Migration.LegacyMessage>();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (long lo = 1; lo <= n; lo += 500)
            {
                await reader.ReadAsync(lo, lo + 500, m =>
                {
                    var copy = new Grove.Messages.Internal.Migration.LegacyMessage { Id = m.Id, Partner = m.Partner };
                    copy.Rows.AddRange(m.Rows);
                    msgs.Add(copy);
                }, default);
            }

            var rows = msgs.Sum(m => m.Rows.Count);
            Console.WriteLine($"read ranges: {Us(cpu) / rows:F2} µs CPU per row");
            var fields = string.Join(",", Enumerable.Range(0, LegacyGenerator.Fields).Select(f => $$"""{"path": "{{LegacyGenerator.Field(f)}}", "name": "{{LegacyGenerator.Field(f)}}", "display": "{{LegacyGenerator.Display(f)}}"}"""));
            var mapper = new Grove.Messages.Internal.Migration.LegacyMapper(MessageMapping.Parse("compb", "waybill", "{\"fields\": [" + fields + "]}"));
            var counts = new Grove.Messages.Internal.Migration.RangeCounts();
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            long bytes = 0, body = 0;
            foreach (var m in msgs)
            {
                var nm = mapper.Build("compb", "waybill", "1", 0, m.Rows, counts, "x");
                bytes += nm.Document.Length;
                body += nm.Body.Length;
            }

            Console.WriteLine($"map + compress: {Us(cpu) / msgs.Count:F0} µs CPU per message (doc {bytes / msgs.Count} chars, body {body / msgs.Count} B compressed)");
            var sample = System.Text.Encoding.UTF8.GetBytes(msgs[0].Rows.Aggregate("", (a, r) => a + r.Field + r.Value));
            foreach (var q in new[] { 1, 3, 5 })
            {
                cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var buffer = new byte[sample.Length * 2];
                var w = 0;
                for (var i = 0; i < 2000; i++)
                {
                    System.IO.Compression.BrotliEncoder.TryCompress(sample, buffer, out w, q, 22);
                }

                Console.WriteLine($"brotli q{q}: {Us(cpu) / 2000:F0} µs per {sample.Length} B → {w} B");
            }

            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static double Us(TimeSpan since) => (Process.GetCurrentProcess().TotalProcessorTime - since).TotalMicroseconds;
}
