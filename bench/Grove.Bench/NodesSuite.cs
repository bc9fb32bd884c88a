using System.Diagnostics;
using Grove.Tree;

namespace Grove.Bench;

/// <summary>
/// Two nodes (two trees with separate data folders) on one PostgreSQL database: node B keeps an object hot in its
/// cache while node A changes it; measures from A's acknowledgement until B's cached stat shows the change.
/// </summary>
internal static class NodesSuite
{
    public static async Task<int> RunAsync(BenchArgs a)
    {
        if (a.Store is null)
        {
            Console.Error.WriteLine("nodes needs --store postgres://… (see bench/with-postgres.sh)");
            return 64;
        }

        await using var nodeA = await TreeService.OpenAsync(new TreeOptions { Store = a.Store, DataPath = Path.Combine(a.Dir, "a"), LockDataFolder = false });
        await using var nodeB = await TreeService.OpenAsync(new TreeOptions { Store = a.Store, DataPath = Path.Combine(a.Dir, "b"), LockDataFolder = false });
        await nodeA.CreateAsync("/hot/doc", ObjectRace.File, new CreateOptions { ExistOk = true });
        var lags = new List<double>();
        var changes = Math.Min(a.N, 2000);
        for (var i = 0; i < changes; i++)
        {
            await nodeB.GetAsync("/hot/doc");
            var v = await nodeA.IncrementAsync("/hot/doc", "n");
            var sw = Stopwatch.StartNew();
            while ((await nodeB.GetAsync("/hot/doc")).Get("n") is not long seen || seen < v)
            {
                if (sw.Elapsed > TimeSpan.FromSeconds(10))
                {
                    throw new TimeoutException("node b never saw the change");
                }

                await Task.Yield();
            }

            lags.Add(sw.Elapsed.TotalMilliseconds);
        }

        lags.Sort();
        double P(double q) => lags[(int)Math.Min(lags.Count - 1, q * lags.Count)];
        Console.WriteLine();
        Console.WriteLine($"## Change visible on the other node ({changes:N0} changes, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd})");
        Console.WriteLine();
        Console.WriteLine("| p50 | p90 | p99 | max | goal p99 |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        Console.WriteLine(FormattableString.Invariant($"| {P(0.5):0.00} ms | {P(0.9):0.00} ms | {P(0.99):0.00} ms | {lags[^1]:0.00} ms | 100 ms |"));
        return 0;
    }
}
