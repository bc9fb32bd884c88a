using System.Diagnostics;
using System.Globalization;

namespace Grove.Bench;

/// <summary>Prints a side-by-side table: each row Grove's figure, the peer's, and Grove as a ratio of the peer.</summary>
internal sealed class Report(string title)
{
    private readonly List<(string What, double Grove, double Peer, string Unit, bool HigherIsBetter)> _rows = [];

    public void Add(string what, double grove, double peer, string unit, bool higherIsBetter = true) =>
        _rows.Add((what, grove, peer, unit, higherIsBetter));

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"## {title}  ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd})");
        Console.WriteLine();
        Console.WriteLine("| measure | Grove | peer | Grove / peer |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (what, grove, peer, unit, higher) in _rows)
        {
            var ratio = peer == 0 ? double.NaN : higher ? grove / peer : peer / grove;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {what} | {Fmt(grove)} {unit} | {Fmt(peer)} {unit} | {ratio:0.00}× |"));
        }
    }

    private static string Fmt(double v) => v >= 100 ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("0.00", CultureInfo.InvariantCulture);

    public static async Task<double> RateAsync(int count, Func<int, Task> op)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await op(i);
        }

        return count / sw.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Rates of two operations timed in alternating rounds (grove, peer, grove, …), so that the load of a shared
    /// machine, which drifts over seconds, weighs on both sides alike. Each side runs <paramref name="count"/> times.
    /// </summary>
    public static async Task<(double Grove, double Peer)> PairAsync(int count, Func<int, Task> grove, Func<int, Task> peer, int rounds = 6)
    {
        var (g, p) = (TimeSpan.Zero, TimeSpan.Zero);
        var done = 0;
        for (var r = 0; r < rounds; r++)
        {
            var until = count * (r + 1) / rounds;
            var sw = Stopwatch.StartNew();
            for (var i = done; i < until; i++)
            {
                await grove(i);
            }

            g += sw.Elapsed;
            sw.Restart();
            for (var i = done; i < until; i++)
            {
                await peer(i);
            }

            p += sw.Elapsed;
            done = until;
        }

        return (count / g.TotalSeconds, count / p.TotalSeconds);
    }

    public static double Rate(int count, Action<int> op)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            op(i);
        }

        return count / sw.Elapsed.TotalSeconds;
    }
}
