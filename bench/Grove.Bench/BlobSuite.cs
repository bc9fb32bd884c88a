using System.Diagnostics;
using Grove.Tree;

namespace Grove.Bench;

/// <summary>
/// Big content: put and get of one file of <c>--mib</c> MiB against <c>dd bs=1M conv=fsync</c> doing the same copy on
/// the same disk, and ten puts of the same 100 MiB stored once.
/// </summary>
internal static class BlobSuite
{
    private const int MiB = 1 << 20;
    private const int Rounds = 3;

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static void Sync()
    {
        using var p = Process.Start(new ProcessStartInfo("sync"))!;
        p.WaitForExit();
    }

    public static async Task<int> RunAsync(BenchArgs a)
    {
        Directory.CreateDirectory(a.Dir);
        var src = Path.Combine(a.Dir, "src.bin");
        await MakeSourceAsync(src, a.Mib);
        var report = new Report($"Big content, one {a.Mib:N0} MiB file");

        // The disk's write-back makes single runs noisy: alternate peer and Grove, settle with sync before each, take medians.
        await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = Path.Combine(a.Dir, "grove"), OrphanGrace = TimeSpan.Zero });
        var ddPuts = new List<double>();
        var puts = new List<double>();
        var ddGets = new List<double>();
        var gets = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            Sync();
            ddPuts.Add(Dd(src, Path.Combine(a.Dir, "dd-put.bin")));
            Sync();
            var sw = Stopwatch.StartNew();
            await using (var input = new FileStream(src, FileMode.Open, FileAccess.Read, FileShare.Read, 0))
            {
                await tree.WriteAsync($"/big{round}.bin", input);
            }

            puts.Add(a.Mib / sw.Elapsed.TotalSeconds);
            var obj = await tree.GetAsync($"/big{round}.bin");
            var blob = Path.Combine(a.Dir, "grove", "buck", obj.Sha256![..4], obj.Sha256[4..]);
            Sync();
            ddGets.Add(Dd(blob, Path.Combine(a.Dir, "dd-get.bin")));
            Sync();
            sw.Restart();
            await using (var output = new FileStream(Path.Combine(a.Dir, "get.bin"), FileMode.Create, FileAccess.Write, FileShare.None, 0))
            {
                await using var content = await tree.OpenReadAsync($"/big{round}.bin");
                await content.CopyToAsync(output, MiB);
                output.Flush(flushToDisk: true);
            }

            gets.Add(a.Mib / sw.Elapsed.TotalSeconds);
            File.Delete(Path.Combine(a.Dir, "get.bin"));
            await tree.DeleteAsync($"/big{round}.bin");
        }

        var (put, ddPut, get, ddGet) = (Median(puts), Median(ddPuts), Median(gets), Median(ddGets));
        report.Add("put (MiB/s, hashed, durable)", put, ddPut, "MiB/s");
        report.Add("get to a file with fsync (MiB/s)", get, ddGet, "MiB/s");
        report.Print();

        var hundred = Path.Combine(a.Dir, "hundred.bin");
        await MakeSourceAsync(hundred, 100, seed: 2);
        await tree.FsckAsync(); // drops the deleted big blobs (grace 0 here), so the count below is of the copies alone
        for (var i = 0; i < 10; i++)
        {
            await using var input = File.OpenRead(hundred);
            await tree.WriteAsync($"/copies/c{i}.bin", input);
        }

        var fsck = await tree.FsckAsync();
        var bytes = Directory.EnumerateFiles(Path.Combine(a.Dir, "grove", "buck"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Console.WriteLine();
        Console.WriteLine($"Ten puts of the same 100 MiB: {fsck.BlobsChecked} distinct blob(s) for 10 files, bucket holds {bytes / (double)MiB:N0} MiB (100 expected).");
        Directory.Delete(a.Dir, recursive: true);
        return 0;
    }

    internal static async Task MakeSourceAsync(string path, int mib, int seed = 1)
    {
        var buffer = new byte[MiB];
        new Random(seed).NextBytes(buffer);
        await using var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        for (var i = 0; i < mib; i++)
        {
            BitConverter.TryWriteBytes(buffer, i);
            await f.WriteAsync(buffer);
        }

        f.Flush(flushToDisk: true);
    }

    /// <summary>MiB/s of <c>dd if=from of=to bs=1M conv=fsync</c>.</summary>
    private static double Dd(string from, string to)
    {
        var psi = new ProcessStartInfo("dd", ["if=" + from, "of=" + to, "bs=1M", "conv=fsync"]) { RedirectStandardError = true };
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        var seconds = sw.Elapsed.TotalSeconds;
        var mib = new FileInfo(to).Length / (double)MiB;
        File.Delete(to);
        return mib / seconds;
    }
}
