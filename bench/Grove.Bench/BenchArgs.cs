namespace Grove.Bench;

/// <summary>Options shared by the suites.</summary>
internal sealed record BenchArgs(int N, int Mib, string? Store, string Dir, bool NoFeed = false)
{
    public static BenchArgs Parse(string[] args)
    {
        string? Get(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var dir = Get("--dir") ?? Path.Combine(Path.GetTempPath(), "grove-bench-" + Environment.ProcessId);
        return new BenchArgs(
            int.Parse(Get("--n") ?? "1000000", System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Get("--mib") ?? "1024", System.Globalization.CultureInfo.InvariantCulture),
            Get("--store"),
            dir,
            Array.IndexOf(args, "--no-feed") >= 0);
    }
}
