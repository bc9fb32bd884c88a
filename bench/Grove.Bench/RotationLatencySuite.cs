using System.Diagnostics;
using System.Globalization;
using Grove.Records;
using Grove.Tree;

namespace Grove.Bench;

/// <summary>
/// Inserts while a rotation moves N rows (issue 11: "p99 insert latency during rotation ≤ 50 ms"): one record set
/// loaded with N + mainRows rows, then single-row inserts (one transaction each, one writer) timed while the
/// rotator moves the N oldest rows into history tables, side by side with the same inserts and no rotation (the
/// peer: what an insert costs anyway) on the same set afterwards.
/// </summary>
internal static class RotationLatencySuite
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var a = BenchArgs.Parse(args);
        long n = a.N;
        const long mainRows = 100_000;
        var batch = int.Parse(Option(args, "--batch") ?? "10000", Inv);
        var rate = int.Parse(Option(args, "--rate") ?? "200", Inv);
        Directory.CreateDirectory(a.Dir);
        await using var tree = await TreeService.OpenAsync(new TreeOptions { Store = a.Store, DataPath = Path.Combine(a.Dir, "rot"), LockDataFolder = a.Store is null, ReclaimInterval = TimeSpan.Zero });
        await using var records = await RecordService.OpenAsync(tree, new RecordsOptions { RotationBatchRows = batch });
        var mapping = $$"""
            {
              "tableName": "b_rot",
              "fields": [
                { "name": "id", "type": "Long" }, { "name": "ct", "type": "Long", "notNull": true },
                { "name": "score", "type": "Integer", "notNull": true }, { "name": "title", "type": "String" }
              ],
              "pks": ["id"],
              "indexes": [ { "name": "by_score", "fields": ["score", "id"] } ],
              "history": { "cutField": "id", "mainRows": {{mainRows}}, "tableRows": {{Math.Max(n / 4, 1)}}, "keep": 1000 }
            }
            """;
        await records.DefineAsync("b_rot", RecordMapping.Parse(mapping));
        var total = n + mainRows;
        for (long at = 0; at < total; at += 50_000)
        {
            await records.BulkInsertAsync("b_rot", Rows(at, (int)Math.Min(50_000, total - at)));
            Console.Error.Write($"\r{Math.Min(at + 50_000, total):N0} rows loaded");
        }

        Console.Error.WriteLine();
        var next = total;
        var rotate = Stopwatch.StartNew();
        var rotation = Task.Run(() => records.RotateAsync("b_rot"));
        var during = await OpenLoopAsync(rate, () => rotation.IsCompleted, () => records.InsertAsync("b_rot", RecordsSuite.Row(next++)));
        var moved = (await rotation).Moved;
        rotate.Stop();
        var count = during.Count;
        var quiet = await OpenLoopAsync(rate, () => count-- <= 0, () => records.InsertAsync("b_rot", RecordsSuite.Row(next++)));

        Console.WriteLine();
        Console.WriteLine($"### Inserts during a rotation of {moved:N0} rows ({(a.Store is null ? "SQLite" : "PostgreSQL")}, rotation batch {batch:N0}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Console.WriteLine();
        Console.WriteLine($"Rotation: {moved:N0} rows in {rotate.Elapsed.TotalSeconds:N1} s ({moved / rotate.Elapsed.TotalSeconds:N0} rows/s) while {during.Count:N0} single-row inserts committed ({rate}/s scheduled, latency from each one's scheduled start).");
        Console.WriteLine();
        Console.WriteLine("| insert latency | during rotation | no rotation (peer) | during / peer | goal |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        foreach (var (label, q) in new[] { ("p50", 0.50), ("p99", 0.99), ("max", 1.0) })
        {
            var d = Pct(during, q);
            var p = Pct(quiet, q);
            Console.WriteLine($"| {label} | {d:N2} ms | {p:N2} ms | {d / p:N2}× | {(label == "p99" ? (d <= 50 ? "≤ 50 ms ✔" : "≤ 50 ms ✘") : "")} |");
        }

        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>
    /// Inserts at a fixed rate until done: each latency runs from the insert's scheduled start, so an insert held up
    /// delays those after it and they count it (no coordinated omission).
    /// </summary>
    private static async Task<List<double>> OpenLoopAsync(int perSecond, Func<bool> done, Func<Task> op)
    {
        var latencies = new List<double>();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0L; !done(); i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond);
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            await op();
            latencies.Add((Stopwatch.GetElapsedTime(start) - due).TotalMilliseconds);
        }

        return latencies;
    }

    private static double Pct(List<double> xs, double q)
    {
        if (xs.Count == 0)
        {
            return double.NaN;
        }

        var sorted = xs.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
    }

    private static async IAsyncEnumerable<IReadOnlyDictionary<string, object?>> Rows(long from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            yield return RecordsSuite.Row(i);
        }

        await Task.CompletedTask;
    }
}
