using System.Diagnostics;
using Grove.Client;
using Grove.Logs;

namespace Grove.Bench;

internal static class Experiment
{
    public static async Task<int> RunAsync(BenchArgs a)
    {
        var lines = Enumerable.Range(0, a.N).Select(i => BuildLog.Line(i)).ToArray();
        var batches = new List<List<LogLine>>();
        var cur = new List<LogLine>();
        long bytes = 0;
        foreach (var l in lines)
        {
            var b = System.Text.Encoding.UTF8.GetByteCount(l.Text);
            if (cur.Count > 0 && bytes + b > 1 << 20) { batches.Add(cur); cur = []; bytes = 0; }
            cur.Add(l); bytes += b;
        }
        batches.Add(cur);
        var sw = Stopwatch.StartNew();
        var encoded = batches.Select(b => LogBatchCodec.Encode(b)).ToList();
        Console.WriteLine($"encode q1: {sw.Elapsed.TotalMilliseconds / batches.Count:0.00} ms/batch, {encoded.Average(e => e.Length):N0} B");
        sw.Restart();
        var plain = batches.Select(b => LogBatchCodec.Encode(b, compress: false)).ToList();
        Console.WriteLine($"encode none: {sw.Elapsed.TotalMilliseconds / batches.Count:0.00} ms/batch");
        sw.Restart();
        foreach (var e in encoded) LogBatchCodec.Decode(e, int.MaxValue, int.MaxValue);
        Console.WriteLine($"decode: {sw.Elapsed.TotalMilliseconds / batches.Count:0.00} ms/batch");
        await using var server = await ServerProcess.StartAsync(Path.Combine(a.Dir, "exp"));
        using var grove = new GroveClient(server.Address);
        await grove.LoginAsync("admin", ServerProcess.Password);
        for (var r = 0; r < 3; r++)
        {
            int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
            var pause = GC.GetTotalPauseDuration();
            await using (var rep = await GroveLogReporter.StartAsync(grove, "rep"))
            {
                sw.Restart();
                foreach (var l in lines) rep.Write(l.Text, DateTimeOffset.FromUnixTimeMilliseconds(l.Timestamp));
                var wrote = sw.Elapsed.TotalMilliseconds;
                await rep.FlushAsync();
                Console.WriteLine($"reporter: {a.N / sw.Elapsed.TotalSeconds:N0} lines/s (writes done at {wrote:0} ms of {sw.Elapsed.TotalMilliseconds:0}); gc {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2}, pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:0} ms");
            }

            var t = await grove.CreateLogTaskAsync("exp");
            sw.Restart();
            foreach (var e in encoded) await grove.AppendLogBatchAsync(t.Id, e);
            Console.WriteLine($"send compressed: {sw.Elapsed.TotalMilliseconds / batches.Count:0.00} ms/batch -> {a.N / sw.Elapsed.TotalSeconds:N0} lines/s");
            t = await grove.CreateLogTaskAsync("exp");
            sw.Restart();
            foreach (var e in plain) await grove.AppendLogBatchAsync(t.Id, e);
            Console.WriteLine($"send plain: {sw.Elapsed.TotalMilliseconds / batches.Count:0.00} ms/batch -> {a.N / sw.Elapsed.TotalSeconds:N0} lines/s");
        }
        return 0;
    }
}
