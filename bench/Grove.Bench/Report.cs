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
