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
    public static int Run(int n)
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
