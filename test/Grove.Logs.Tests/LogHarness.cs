namespace Grove.Logs.Tests;

/// <summary>A tree on SQLite in a temp folder with a log engine over it (no background work), and a hand-moved clock.</summary>
internal sealed class LogHarness : IAsyncDisposable
{
    public const long T0 = 1_700_000_000_000;

    private readonly Func<LogOptions, LogOptions> _configure;

    private LogHarness(Func<LogOptions, LogOptions> configure) => _configure = configure;

    public TempFolder Folder { get; } = new();

    public ManualTime Clock { get; } = new();

    public TreeService Tree { get; private set; } = null!;

    public LogService Logs { get; private set; } = null!;

    public string Data => Folder.Combine("data");

    public static async Task<LogHarness> OpenAsync(Func<LogOptions, LogOptions>? configure = null)
    {
        var h = new LogHarness(configure ?? (o => o));
        await h.StartAsync();
        return h;
    }

    /// <summary>Closes and opens the engine and the tree again, as after a restart.</summary>
    public async Task RestartAsync()
    {
        await Logs.DisposeAsync();
        await Tree.DisposeAsync();
        await StartAsync();
    }

    private async Task StartAsync()
    {
        Tree = await TreeService.OpenAsync(new TreeOptions { DataPath = Data, Time = Clock });
        Logs = await LogService.OpenAsync(Tree, _configure(new LogOptions { Background = false, Time = Clock }));
    }

    /// <summary>Lines numbered from <paramref name="first"/>: "text first", "text first+1", … with time stamps T0 + number.</summary>
    public static List<LogLine> Lines(long first, int count, string text = "line") =>
        [.. Enumerable.Range(0, count).Select(i => new LogLine(first + i, T0 + first + i, $"{text} {first + i}"))];

    /// <summary>A realistic mix of build-log lines, about 100 bytes each, deterministic per number.</summary>
    public static LogLine BuildLine(long n)
    {
        var r = new Random((int)(n * 7919 % int.MaxValue));
        var text = (n % 5) switch
        {
            0 => $"  Compiling src/Module{r.Next(300)}/File{r.Next(5000)}.cs ({r.Next(10, 900)} ms) [{r.Next():x8}]",
            1 => $"/work/src/App/Service{r.Next(50)}.cs({r.Next(1, 900)},{r.Next(1, 80)}): warning CS{r.Next(1000, 9999)}: Possible null reference.",
            2 => $"[xUnit.net 00:00:{r.Next(60):00}.{r.Next(100):00}]     Grove.Tests.Suite{r.Next(40)}.Case_{r.Next(9999)} [PASS]",
            3 => $"Step {r.Next(1, 30)}/30 : RUN apt-get install -y package-{r.Next(400)} && rm -rf /var/lib/apt/lists/*",
            _ => $"npm http fetch GET 200 https://registry.example/pkg-{r.Next(9000)}/-/pkg-{r.Next(9000)}-1.{r.Next(40)}.{r.Next(9)}.tgz {r.Next(900)}ms",
        };
        return new LogLine(n, T0 + (n * 3), text);
    }

    public static List<LogLine> BuildLines(long first, int count) => [.. Enumerable.Range(0, count).Select(i => BuildLine(first + i))];

    /// <summary>Every line of a task, read page by page through the public API.</summary>
    public async Task<List<LogLine>> ReadAllAsync(string id, int pageSize = 1000)
    {
        var all = new List<LogLine>();
        long from = 0;
        while (true)
        {
            var page = await Logs.ReadAsync(id, from, pageSize);
            all.AddRange(page.Lines);
            if (page.Lines.Count == 0)
            {
                return all;
            }

            from = page.Next;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Logs.DisposeAsync();
        await Tree.DisposeAsync();
        Folder.Dispose();
    }
}
