namespace Grove.Logs.Tests;

/// <summary>Search streams matches with their line numbers; regexes run on the non-backtracking engine.</summary>
public sealed class SearchTests
{
    private static async Task<(LogHarness H, string Id)> LogAsync(params string[] texts)
    {
        var h = await LogHarness.OpenAsync();
        var task = await h.Logs.CreateAsync("build");
        await h.Logs.AppendAsync(task.Id, [.. texts.Select((t, i) => new LogLine(i, LogHarness.T0 + i, t))]);
        return (h, task.Id);
    }

    [Fact]
    public async Task SearchAsync_Substring_MatchesWithLineNumbers()
    {
        var (h, id) = await LogAsync("ok", "error: disk full", "ok", "ERROR: again", "fine");
        await using var _ = h;

        var exact = await h.Logs.SearchAsync(id, new LogSearch { Pattern = "error" }).CollectAsync();
        var anyCase = await h.Logs.SearchAsync(id, new LogSearch { Pattern = "error", IgnoreCase = true }).CollectAsync();

        exact.Select(l => l.Number).ShouldBe([1L]);
        anyCase.Select(l => l.Number).ShouldBe([1L, 3L]);
        anyCase[1].Text.ShouldBe("ERROR: again");
    }

    [Fact]
    public async Task SearchAsync_RegexFromAndMax_StepsThroughMatches()
    {
        var (h, id) = await LogAsync("a1", "b2", "a3", "a4", "c5", "a6");
        await using var _ = h;

        var next = await h.Logs.SearchAsync(id, new LogSearch { Pattern = "^a\\d$", Regex = true, From = 3, MaxMatches = 2 }).CollectAsync();

        next.Select(l => l.Number).ShouldBe([3L, 5L]);
    }

    [Theory]
    [InlineData("(unclosed", "Not enough )")]
    [InlineData("(a)\\1", "")]
    [InlineData("(?<=x)y", "")]
    public async Task SearchAsync_InvalidOrUnsupportedRegex_InvalidPatternWithReason(string pattern, string reason)
    {
        var (h, id) = await LogAsync("x");
        await using var _ = h;

        var e = Should.Throw<LogException>(() => h.Logs.SearchAsync(id, new LogSearch { Pattern = pattern, Regex = true }));

        e.Code.ShouldBe(LogErrorCode.InvalidPattern);
        e.Message.ShouldContain(reason);
        e.Message.Length.ShouldBeGreaterThan("invalid pattern: ".Length);
    }

    [Fact]
    public async Task SearchAsync_CatastrophicBacktrackingPattern_CompletesWithoutMatch()
    {
        // (a+)+$ against a long run of 'a' ending in '!' takes exponential time in a backtracking engine.
        var (h, id) = await LogAsync(new string('a', 20_000) + "!", new string('a', 5_000) + "b");
        await using var _ = h;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var matches = await h.Logs.SearchAsync(id, new LogSearch { Pattern = "^(a+)+$", Regex = true }, deadline.Token).CollectAsync(deadline.Token);

        matches.ShouldBeEmpty();
    }

    [Fact]
    public async Task SearchAsync_PatternTooLongOrEmpty_InvalidPattern()
    {
        var (h, id) = await LogAsync("x");
        await using var _ = h;

        Should.Throw<LogException>(() => h.Logs.SearchAsync(id, new LogSearch { Pattern = "" })).Code.ShouldBe(LogErrorCode.InvalidPattern);
        Should.Throw<LogException>(() => h.Logs.SearchAsync(id, new LogSearch { Pattern = new string('x', 1001) })).Code.ShouldBe(LogErrorCode.InvalidPattern);
        Should.Throw<LogException>(() => h.Logs.SearchAsync(id, new LogSearch { Pattern = "x", MaxMatches = 0 })).Code.ShouldBe(LogErrorCode.InvalidRange);
    }
}
