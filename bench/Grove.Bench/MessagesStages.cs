using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Grove.Messages;
using Grove.Messages.Internal.Receiving;

namespace Grove.Bench;

/// <summary>Where a received message's CPU goes, one thread: parse, map, serialize, compress (several codecs).</summary>
internal static class MessagesStages
{
    public static async Task<int> RunAsync(int n)
    {
        var root = Directory.CreateTempSubdirectory("grove-bench-msg-stages-").FullName;
        try
        {
            var bodies = Enumerable.Range(0, n).Select(i => Encoding.UTF8.GetBytes(MessagesSuite.Message(i))).ToArray();
            await using var tree = await Grove.Tree.TreeService.OpenAsync(new Grove.Tree.TreeOptions { DataPath = Path.Join(root, "grove") });
            await using var config = await Grove.Config.ConfigEngine.OpenAsync(tree, new Grove.Config.ConfigOptions { RunTimers = false, MasterKey = new byte[32] });
            await config.PublishAsync(new Grove.Config.PublishRequest { Key = Grove.Config.ConfigKey.Create("b.waybill", MessageMapping.ConfigGroup), Content = MessagesSuite.Mapping(), Type = Grove.Config.ConfigType.Json });
            await using var engine = await MessageEngine.OpenAsync(tree, config);
            for (var round = 0; round < 2; round++)
            {
                var sw = Stopwatch.StartNew();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                for (var i = 0; i < n; i++)
                {
                    await engine.ReceiveAsync(new ReceiveRequest { Partner = "b", Type = "waybill", Body = bodies[i], SourceId = $"r{round}-{i}" });
                }

                Console.WriteLine($"  engine receive, one at a time, sourceId given: {sw.Elapsed.TotalMicroseconds / n:F0} µs wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / n:F0} µs CPU per message");
            }

            var printed = (await engine.QueryAsync(new MessageQuery { Limit = 1 })).Items[0].Id;
            var times = new List<double>();
            var printCpu = TimeSpan.Zero;
            for (var i = 0; i < 60; i++)
            {
                using var pdf = new MemoryStream();
                var sw = Stopwatch.StartNew();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                await engine.PrintAsync(printed, pdf);
                if (i >= 10)
                {
                    times.Add(sw.Elapsed.TotalMilliseconds);
                    printCpu += Process.GetCurrentProcess().TotalProcessorTime - cpu;
                }
            }

            times.Sort();
            Console.WriteLine($"  print one message: p50 {times[times.Count / 2]:F1} ms wall, {printCpu.TotalMilliseconds / times.Count:F1} ms CPU each");
            foreach (var format in new[] { BatchFormat.Zip, BatchFormat.Pdf })
            {
                GC.Collect();
                var before = Process.GetCurrentProcess().WorkingSet64;
                var sw = Stopwatch.StartNew();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var pages = await engine.PrintBatchAsync(new MessageQuery { Partner = "b", Limit = 1000 }, Stream.Null, format);
                var p = Process.GetCurrentProcess();
                Console.WriteLine($"  batch print ({format}, all {2 * n} messages): {pages} pages, {pages / sw.Elapsed.TotalSeconds:F0} pages/s wall, {(p.TotalProcessorTime - cpu).TotalMilliseconds / pages:F1} ms CPU per page; working set {before >> 20} → {p.WorkingSet64 >> 20} MiB (peak {p.PeakWorkingSet64 >> 20} MiB)");
            }

            var store = engine.Store;
            var mapping = MessageMapping.Parse("b", "waybill", MessagesSuite.Mapping());
            var ready = bodies.Select(b => MappedWriter.Map(mapping, b)).Select((m, i) => new Grove.Messages.Internal.Storage.NewMessage("b", "waybill", 1, "s" + i, 1, m.Keys, m.Document, Grove.Messages.Internal.BodyCodec.Compress(bodies[i]), SourceFormat.Json)).ToArray();
            foreach (var (what, sourceIds) in new[] { ("store insert, one at a time", true), ("store insert, no source id", false) })
            {
                var sw = Stopwatch.StartNew();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var user = Process.GetCurrentProcess().UserProcessorTime;
                for (var i = 0; i < n; i++)
                {
                    await store.InsertAsync(ready[i] with { SourceId = sourceIds ? "x" + ready[i].SourceId : null }, default);
                }

                var p = Process.GetCurrentProcess();
                Console.WriteLine($"  {what}: {sw.Elapsed.TotalMicroseconds / n:F0} µs wall, {(p.TotalProcessorTime - cpu).TotalMicroseconds / n:F0} µs CPU ({(p.UserProcessorTime - user).TotalMicroseconds / n:F0} user) per message");
            }

            {
                var sw = Stopwatch.StartNew();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                for (var i = 0; i < n; i++)
                {
                    await store.FindAsync("b", "s" + i, false, default);
                }

                Console.WriteLine($"  store find by source id: {sw.Elapsed.TotalMicroseconds / n:F0} µs wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / n:F0} µs CPU per message");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        return Run(n);
    }

    private static int Run(int n)
    {
        var bodies = Enumerable.Range(0, n).Select(i => Encoding.UTF8.GetBytes(MessagesSuite.Message(i))).ToArray();
        var mapping = MessageMapping.Parse("b", "waybill", MessagesSuite.Mapping());
        Console.WriteLine($"{n} messages of {bodies.Average(b => b.Length):F0} B");
        for (var round = 0; round < 2; round++)
        {
            Time("parse (JsonNode, the tree the first version mapped from)", n, i => BodyReader.Parse(bodies[i], SourceFormat.Json, 1 << 20));
            Time("parse (JsonDocument)", n, i => JsonDocument.Parse(bodies[i]).Dispose());
            var docs = Time("map to the document (parse, walk, write)", n, i => MappedWriter.Map(mapping, bodies[i]).Document);
            var strings = MessageMapping.Parse("b", "waybill", MessagesSuite.Mapping().Replace("\"decimal\"", "\"string\"").Replace("\"date-time\"", "\"string\""));
            Time("receive pipeline, every field a string", n, i => MappedWriter.Map(strings, bodies[i]));
            var dateField = mapping.Fields[2];
            Time("44 date-times converted", n, i =>
            {
                for (var k = 0; k < 44; k++)
                {
                    Grove.Messages.Internal.Mapping.ValueConverter.ConvertDate(dateField, "2026-05-13T08:30:00+08:00", out _);
                }
            });
            foreach (var q in new[] { 1, 5 })
            {
                var z = Time($"brotli q{q} body", n, i => Brotli(bodies[i], q));
                var zd = Time($"brotli q{q} document", n, i => Brotli(docs[i], q));
                Console.WriteLine($"    q{q}: body {bodies.Average(b => b.Length):F0} → {z.Average(b => b.Length):F0} B, document {docs.Average(b => b.Length):F0} → {zd.Average(b => b.Length):F0} B");
            }

            foreach (var level in new[] { 1, 3 })
            {
                using var zc = new ZstdSharp.Compressor(level);
                var z = Time($"zstd {level} body", n, i => zc.Wrap(bodies[i]).ToArray());
                var zd = Time($"zstd {level} document", n, i => zc.Wrap(docs[i]).ToArray());
                Console.WriteLine($"    zstd {level}: body → {z.Average(b => b.Length):F0} B, document → {zd.Average(b => b.Length):F0} B");
                using var dz = new ZstdSharp.Decompressor();
                Time($"zstd {level} document decompressed", n, i => dz.Unwrap(zd[i]).Length);
            }

            var zl = Time("zlib fastest body", n, i => Deflate(bodies[i]));
            Console.WriteLine($"    zlib fastest: body → {zl.Average(b => b.Length):F0} B");
        }

        return 0;
    }

    private static byte[] Brotli(byte[] data, int q)
    {
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(data.Length)];
        BrotliEncoder.TryCompress(data, buffer, out var w, q, 22);
        return buffer[..w];
    }

    private static byte[] Deflate(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Fastest))
        {
            z.Write(data);
        }

        return ms.ToArray();
    }

    private static T[] Time<T>(string what, int n, Func<int, T> f)
    {
        var result = new T[n];
        var sw = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < n; i++)
        {
            result[i] = f(i);
        }

        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"  {what}: {sw.Elapsed.TotalMilliseconds * 1000 / n:F1} µs wall, {used.TotalMilliseconds * 1000 / n:F1} µs CPU per message");
        return result;
    }

    private static void Time(string what, int n, Action<int> f) => Time(what, n, i =>
    {
        f(i);
        return 0;
    });
}
