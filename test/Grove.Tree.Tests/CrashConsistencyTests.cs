using System.Diagnostics;
using Grove.Testing;

namespace Grove.Tree.Tests;

/// <summary>Acknowledged writes survive <c>kill -9</c> at an arbitrary point, and fsck then finds the store consistent.</summary>
public sealed class CrashConsistencyTests
{
    [Theory]
    [InlineData(40)]
    [InlineData(157)]
    public async Task Kill9_DuringWrites_AcknowledgedDataSurvivesAndFsckIsConsistent(int killAfterAcks)
    {
        using var folder = new TempFolder();
        var data = folder.Combine("data");
        var writer = Path.Combine(AppContext.BaseDirectory, "Grove.CrashWriter.dll");
        var psi = new ProcessStartInfo("dotnet", [writer, data]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var acked = new Dictionary<int, string>();
        var deleted = new HashSet<int>();
        var deleting = new HashSet<int>();
        using (var child = Process.Start(psi)!)
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (acked.Count < killAfterAcks)
            {
                var line = await child.StandardOutput.ReadLineAsync().WaitAsync(deadline - DateTime.UtcNow)
                    ?? throw new InvalidOperationException("writer exited: " + await child.StandardError.ReadToEndAsync());
                Record(line);
            }

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();

            // What it printed before it died is still in the pipe.
            while (await child.StandardOutput.ReadLineAsync() is { } rest)
            {
                Record(rest);
            }
        }

        void Record(string line)
        {
            var parts = line.Split(' ');
            var i = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            switch (parts[0])
            {
                case "ack":
                    acked[i] = parts[2];
                    break;
                case "deleting":
                    deleting.Add(i);
                    break;
                default:
                    deleted.Add(i);
                    break;
            }
        }

        await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = data, OrphanGrace = TimeSpan.Zero });
        // An object whose delete had begun when the process died may be there or not; every other acknowledged one must be.
        foreach (var (i, sha) in acked.Where(kv => !deleting.Contains(kv.Key)))
        {
            var path = $"/crash/d{i % 10}/f{i}";
            var obj = await tree.GetAsync(path);
            obj.Sha256.ShouldBe(sha, path);
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await tree.ReadAllBytesAsync(path))).ShouldBe(sha, path);
        }

        foreach (var i in deleted)
        {
            (await tree.FindAsync($"/crash/d{i % 10}/f{i}")).ShouldBeNull();
        }

        var report = await tree.FsckAsync();
        report.Dangling.ShouldBeEmpty();
        report.CountMismatches.ShouldBeEmpty();
        report.Consistent.ShouldBeTrue();
        (await tree.FsckAsync()).OrphansRemoved.ShouldBe(0);
    }
}
