using System.Diagnostics;
using System.Text;
using Grove.Config;
using Grove.Messages;
using Grove.Tree;

namespace Grove.Bench;

/// <summary>
/// Batch printing of n 220-field messages, in process: one streamed PDF against the zip of one PDF per message (the
/// peer, in the same run) — pages/s, CPU per page, and the memory while printing (working set and managed heap
/// sampled at every write to the output), to see that the one PDF stays flat from 1,000 to 10,000 messages.
/// </summary>
internal static class MessagesPrintBench
{
    public static async Task<int> RunAsync(int n, int zipN)
    {
        var root = Directory.CreateTempSubdirectory("grove-bench-msg-print-").FullName;
        try
        {
            await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = Path.Join(root, "grove") });
            await using var config = await ConfigEngine.OpenAsync(tree, new ConfigOptions { RunTimers = false, MasterKey = new byte[32] });
            await config.PublishAsync(new PublishRequest { Key = ConfigKey.Create("b.waybill", MessageMapping.ConfigGroup), Content = MessagesSuite.Mapping(), Type = ConfigType.Json });
            await using var engine = await MessageEngine.OpenAsync(tree, config);
            for (var i = 0; i < n; i++)
            {
                await engine.ReceiveAsync(new ReceiveRequest { Partner = "b", Type = "waybill", Body = Encoding.UTF8.GetBytes(MessagesSuite.Message(i)), SourceId = "p" + i });
            }

            // Note that a warm-up (JIT tiers, the font face cut out once per process) keeps them out of the figures.
            for (var round = 0; round < 3; round++)
            {
                await engine.PrintBatchAsync(new MessageQuery { Partner = "b", Ids = [.. Enumerable.Range(1, 60).Select(i => (long)i)] }, Stream.Null, BatchFormat.Pdf);
                await engine.PrintBatchAsync(new MessageQuery { Partner = "b", Ids = [.. Enumerable.Range(1, 10).Select(i => (long)i)] }, Stream.Null, BatchFormat.Zip);
            }

            Console.WriteLine($"{n} messages stored; working set {Environment.WorkingSet >> 20} MiB");
            await OneAsync(engine, BatchFormat.Zip, zipN, n);
            await OneAsync(engine, BatchFormat.Pdf, zipN, n);
            await OneAsync(engine, BatchFormat.Pdf, n, n);
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task OneAsync(MessageEngine engine, BatchFormat format, int count, int stored)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var sink = new SamplingSink();
        var ws = Environment.WorkingSet;
        var heap = GC.GetTotalMemory(false);
        var sw = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var ids = count == stored ? null : Enumerable.Range(1, count).Select(i => (long)i).ToArray();
        var pages = await engine.PrintBatchAsync(new MessageQuery { Partner = "b", Ids = ids, Limit = 200 }, sink, format);
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"  {format,-3} {count,6} messages: {pages,6} pages in {sw.Elapsed.TotalSeconds:F1} s = {pages / sw.Elapsed.TotalSeconds:F0} pages/s wall, {used.TotalMilliseconds / pages:F2} ms CPU per page; "
            + $"{sink.Length >> 20} MiB out in {sink.Writes} writes, first after {sink.FirstWriteAfter.TotalMilliseconds:F0} ms; "
            + $"working set {ws >> 20} → peak {sink.PeakWorkingSet >> 20} MiB, managed heap {heap >> 20} → peak {sink.PeakHeap >> 20} MiB, live after a full GC ≤ {sink.PeakLive / 1e6:F1} MB");
    }

    /// <summary>Counts what is written and samples the process's memory at each write.</summary>
    private sealed class SamplingSink : Stream
    {
        private readonly Stopwatch _since = Stopwatch.StartNew();
        private long _length;

        public int Writes { get; private set; }

        public long PeakWorkingSet { get; private set; }

        public long PeakHeap { get; private set; }

        public long PeakLive { get; private set; }

        public TimeSpan FirstWriteAfter { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Writes++ == 0)
            {
                FirstWriteAfter = _since.Elapsed;
            }

            _length += buffer.Length;
            PeakWorkingSet = Math.Max(PeakWorkingSet, Environment.WorkingSet);
            PeakHeap = Math.Max(PeakHeap, GC.GetTotalMemory(false));
            if (Writes % 10 == 0)
            {
                // Note that a full collection every tenth write (every tenth part) shows what is live, garbage aside.
                PeakLive = Math.Max(PeakLive, GC.GetTotalMemory(true));
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
