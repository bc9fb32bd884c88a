using Grove.Logs;

namespace Grove.Bench;

/// <summary>
/// A realistic build log, about 100 bytes a line: compiler lines with paths and timings, warnings, test results,
/// container steps and package fetches, with numbers and hashes that vary (deterministic per line number).
/// </summary>
internal static class BuildLog
{
    public const long T0 = 1_767_225_600_000;

    // Note that CI runners tag each line with its stage and agent; the tag brings the lines to about 100 bytes.
    private static readonly string[] Stages = ["checkout", "restore", "compile", "unit-tests", "integration", "package", "container", "publish"];

    public static LogLine Line(long n)
    {
        var r = new Mix((ulong)n);
        var text = (n % 8) switch
        {
            0 => $"  Compiling src/Module{r.Next(300)}/Component{r.Next(5000)}.cs ({r.Next(10, 900)} ms) [{r.Next():x8}]",
            1 => $"/work/src/App/Service{r.Next(50)}.cs({r.Next(1, 900)},{r.Next(1, 80)}): warning CS{r.Next(1000, 9999)}: Possible null reference argument.",
            2 => $"[xUnit.net 00:00:{r.Next(60):00}.{r.Next(100):00}]     Grove.Tests.Suite{r.Next(40)}.Method_Case{r.Next(9999)}_Works [PASS]",
            3 => $"Step {r.Next(1, 30)}/30 : RUN apt-get install -y --no-install-recommends lib{r.Next(400)}-dev && rm -rf /var/lib/apt",
            4 => $"npm http fetch GET 200 https://registry.npmjs.org/pkg-{r.Next(9000)}/-/pkg-{r.Next(9000)}-1.{r.Next(40)}.{r.Next(9)}.tgz {r.Next(900)}ms",
            5 => $"  Restored /work/src/Project{r.Next(120)}/Project{r.Next(120)}.csproj (in {r.Next(20, 4000)} ms).",
            6 => $" ---> Running in {r.Next():x8}{r.Next():x4}; layer sha256:{r.Next():x8}{r.Next():x8}{r.Next():x8} {r.Next(1, 900)}MB",
            _ => $"    at Grove.Core.Worker{r.Next(60)}.Run(Context ctx) in /work/src/Core/Worker{r.Next(60)}.cs:line {r.Next(1, 700)}",
        };
        var tag = $"[{Stages[(int)(n / 25_000 % Stages.Length)]}|agent-{r.Next(24):00}] ";
        return new LogLine(n, T0 + (n * 3) + r.Next(3), tag + text);
    }

    /// <summary>SplitMix64: a cheap deterministic generator (a seeded System.Random costs more than the line).</summary>
    private struct Mix(ulong seed)
    {
        private ulong _state = seed * 0x9E3779B97F4A7C15UL;

        public int Next() => (int)(NextULong() >> 33);

        public int Next(int max) => (int)(NextULong() % (ulong)max);

        public int Next(int min, int max) => min + Next(max - min);

        private ulong NextULong()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    public static List<LogLine> Batch(long first, int count)
    {
        var lines = new List<LogLine>(count);
        for (var i = 0; i < count; i++)
        {
            lines.Add(Line(first + i));
        }

        return lines;
    }
}
