using System.Diagnostics;
using Grove.Browser.Tests.Infrastructure;
using Grove.Logs;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>
/// The log viewer on a 1,000,000-line log: the first lines show at once, a jump reaches line 900,000, a running task
/// is followed as lines arrive, a server search steps through its matches, ANSI colours render as styles (never as
/// markup), and the DOM holds only a screenful of lines whatever the log's size.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LogViewerTests(Chromium chromium, ITestOutputHelper output)
{
    private const int Lines = 1_000_000;
    private const int MaxRows = 120;

    /// <summary>Line n (0-based) reads "line n+1: …", so the number the viewer shows is the one in the text.</summary>
    private static string Text(long n) => (n % 100_000) == 12_345
        ? $"line {n + 1}: found the needle here"
        : (n % 10 == 3 ? $"line {n + 1}: \u001b[31merror\u001b[0m in step {n % 97} <b>not bold</b>" : $"line {n + 1}: step {n % 97} ok");

    private async Task<(ConsoleSession Session, string Id)?> StartAsync(bool finish)
    {
        var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return null;
        }

        var clock = Stopwatch.StartNew();
        var logs = s.Server.Server.Logs;
        var task = await logs.CreateAsync("big build", new LogCreateOptions { Owner = "admin" });
        for (var first = 0; first < Lines; first += 20_000)
        {
            var batch = new List<LogLine>(20_000);
            for (var n = first; n < first + 20_000; n++)
            {
                batch.Add(new LogLine(n, 1_767_225_600_000 + n, Text(n)));
            }

            await logs.AppendAsync(task.Id, batch);
        }

        if (finish)
        {
            await logs.FinishAsync(task.Id, LogTaskStatus.Succeeded, 0);
        }

        output.WriteLine($"created a {Lines:N0}-line log in {clock.ElapsedMilliseconds} ms");
        return (s, task.Id);
    }

    private static ILocator Row(ConsoleSession s, long shown) => s.Page.Locator($".log-line[data-n=\"{shown}\"]");

    private static async Task RowsAreBoundedAsync(ConsoleSession s) =>
        (await s.Page.Locator(".log-line").CountAsync()).ShouldBeLessThanOrEqualTo(MaxRows);

    [Fact]
    public async Task MillionLines_OpenAtOnce_FirstLinesShowAndTheDomStaysSmall()
    {
        if (await StartAsync(finish: true) is not var (s, id))
        {
            return;
        }

        await using (s)
        {
            var clock = Stopwatch.StartNew();
            await s.SignInAsync(hash: "#/logs/" + id);
            await Expect(Row(s, 1)).ToContainTextAsync("line 1: step 0 ok");
            output.WriteLine($"sign-in to the first line: {clock.ElapsedMilliseconds} ms");
            await Expect(Row(s, 1)).ToBeInViewportAsync();
            await Expect(s.Page.GetByText("Lines 1–", new() { Exact = false })).ToContainTextAsync("of 1,000,000");
            await RowsAreBoundedAsync(s);
            await s.ScreenshotAsync("log-first-lines");
        }
    }

    [Fact]
    public async Task MillionLines_JumpToLine900000_ShowsThatLine()
    {
        if (await StartAsync(finish: true) is not var (s, id))
        {
            return;
        }

        await using (s)
        {
            await s.SignInAsync(hash: "#/logs/" + id);
            await Expect(Row(s, 1)).ToBeVisibleAsync();
            await s.Page.GetByLabel("Go to line").FillAsync("900,000");
            await s.Page.GetByRole(AriaRole.Button, new() { Name = "Go", Exact = true }).ClickAsync();
            var target = Row(s, 900_000);
            await Expect(target).ToContainTextAsync("line 900000: step");
            await Expect(target).ToBeInViewportAsync();
            await Expect(target).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("target"));
            await RowsAreBoundedAsync(s);

            // The scrollbar maps to line numbers: its end is the last line, although 1M lines of 18 px would not fit.
            await s.Page.Locator(".log-scroller").FocusAsync();
            await s.Page.Keyboard.PressAsync("End");
            await Expect(Row(s, Lines)).ToContainTextAsync($"line {Lines}: ");
            await Expect(Row(s, Lines)).ToBeInViewportAsync();
            await s.Page.Keyboard.PressAsync("Home");
            await Expect(Row(s, 1)).ToBeInViewportAsync();

            // A deep link opens at the line.
            await s.Page.GotoAsync(s.Home + $"#/logs/{id}?line=500001");
            await Expect(Row(s, 500_001)).ToContainTextAsync("line 500001: ");
            await s.ScreenshotAsync("log-jump");
        }
    }

    [Fact]
    public async Task RunningTask_Follow_ShowsLinesAppendedMeanwhile()
    {
        if (await StartAsync(finish: false) is not var (s, id))
        {
            return;
        }

        await using (s)
        {
            await s.SignInAsync(hash: "#/logs/" + id);
            await Expect(s.Page.GetByLabel("Follow")).ToBeCheckedAsync();
            await Expect(Row(s, Lines)).ToBeInViewportAsync();

            var logs = s.Server.Server.Logs;
            await logs.AppendAsync(id, [.. Enumerable.Range(Lines, 5).Select(n => new LogLine(n, 0, $"line {n + 1}: appended while following"))]);
            await Expect(Row(s, Lines + 5)).ToContainTextAsync($"line {Lines + 5}: appended while following");
            await Expect(Row(s, Lines + 5)).ToBeInViewportAsync();

            await logs.AppendAsync(id, [new LogLine(Lines + 5, 0, "the last words")]);
            await logs.FinishAsync(id, LogTaskStatus.Failed, 2);
            await Expect(Row(s, Lines + 6)).ToContainTextAsync("the last words");
            await Expect(s.Page.Locator(".log-head .log-badge")).ToHaveTextAsync("failed (exit 2)");
            await RowsAreBoundedAsync(s);
        }
    }

    [Fact]
    public async Task RunningTask_Header_CountsLinesAndTimeAsTheyGrow()
    {
        // Regression: a running log's header kept its first line count and duration while the viewer showed more.
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        var logs = s.Server.Server.Logs;
        var task = await logs.CreateAsync("deploy", new LogCreateOptions { Owner = "admin" });
        await logs.AppendAsync(task.Id, [.. Enumerable.Range(0, 10).Select(n => new LogLine(n, 0, $"step {n + 1}"))]);
        await s.SignInAsync(hash: "#/logs/" + task.Id);
        var info = s.Page.Locator(".log-head .log-info");
        await Expect(info).ToContainTextAsync("10 lines");
        var first = await info.TextContentAsync();

        await logs.AppendAsync(task.Id, [.. Enumerable.Range(10, 15).Select(n => new LogLine(n, 0, $"step {n + 1}"))]);
        await Expect(Row(s, 25)).ToContainTextAsync("step 25");
        await Expect(info).ToContainTextAsync("25 lines");
        // The duration counts on by the second while the task runs (the line count alone changed it to this text).
        await Expect(info).Not.ToHaveTextAsync(first!.Replace("10 lines", "25 lines", StringComparison.Ordinal), new() { Timeout = 10_000 });

        await logs.FinishAsync(task.Id, LogTaskStatus.Succeeded, 0);
        await Expect(s.Page.Locator(".log-head .log-badge")).ToHaveTextAsync("succeeded (exit 0)");
        await Expect(info).ToContainTextAsync("25 lines");
    }

    [Fact]
    public async Task Search_OnTheServer_StepsThroughTheMatches()
    {
        if (await StartAsync(finish: true) is not var (s, id))
        {
            return;
        }

        await using (s)
        {
            await s.SignInAsync(hash: "#/logs/" + id);
            await Expect(Row(s, 1)).ToBeVisibleAsync();
            var box = s.Page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" });
            await box.FillAsync("needle");
            await box.PressAsync("Enter");
            await Expect(Row(s, 12_346)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("current-match"));
            await Expect(Row(s, 12_346)).ToBeInViewportAsync();
            await Expect(Row(s, 12_346).Locator("mark")).ToHaveTextAsync("needle");
            await Expect(s.Page.Locator(".log-match-state")).ToHaveTextAsync("1 of 10");

            await box.PressAsync("Enter");
            await Expect(Row(s, 112_346)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("current-match"));
            await s.Page.GetByRole(AriaRole.Button, new() { Name = "Next match" }).ClickAsync();
            await Expect(Row(s, 212_346)).ToBeInViewportAsync();
            await s.Page.GetByRole(AriaRole.Button, new() { Name = "Previous match" }).ClickAsync();
            await Expect(Row(s, 112_346)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("current-match"));
            await Expect(s.Page.Locator(".log-match-state")).ToHaveTextAsync("2 of 10");

            await s.Page.GetByLabel("Regex").CheckAsync();
            await box.FillAsync("(unclosed");
            await box.PressAsync("Enter");
            await Expect(s.Page.Locator(".log-search .error")).ToContainTextAsync("invalid pattern");
        }
    }

    [Fact]
    public async Task AnsiAndMarkup_RenderAsColoursAndPlainText()
    {
        if (await StartAsync(finish: true) is not var (s, id))
        {
            return;
        }

        await using (s)
        {
            await s.SignInAsync(hash: "#/logs/" + id);
            var row = Row(s, 4);
            await Expect(row).ToContainTextAsync("line 4: error in step 3 <b>not bold</b>");
            await Expect(row.Locator(".ansi-fg-1")).ToHaveTextAsync("error");
            await Expect(row.Locator("b")).ToHaveCountAsync(0);
            (await row.InnerTextAsync()).ShouldNotContain("\u001b");

            await s.Page.GetByLabel("Time stamps").CheckAsync();
            await Expect(Row(s, 1).Locator(".ts")).ToHaveTextAsync("00:00:00.000");
            await Expect(s.Page.GetByRole(AriaRole.Link, new() { Name = "Download" })).ToHaveAttributeAsync("href", $"/api/v1/logs/{id}/download?download=true");
        }
    }

    [Fact]
    public async Task TaskList_FiltersByStatusAndName_AndOpensATask()
    {
        var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await using (s)
        {
            var logs = s.Server.Server.Logs;
            var deploy = await logs.CreateAsync("deploy web", new LogCreateOptions { Owner = "admin" });
            await logs.AppendAsync(deploy.Id, [new LogLine(0, 0, "deploying")]);
            var build = await logs.CreateAsync("build api", new LogCreateOptions { Owner = "admin" });
            await logs.FinishAsync(build.Id, LogTaskStatus.Failed, 1);

            await s.SignInAsync(hash: "#/logs");
            var table = s.Page.GetByRole(AriaRole.Table, new() { Name = "Tasks" });
            await Expect(table.Locator("tbody tr")).ToHaveCountAsync(2);
            await s.Page.GetByLabel("Status").SelectOptionAsync("failed");
            await Expect(table.Locator("tbody tr")).ToHaveCountAsync(1);
            await Expect(table.Locator("tbody tr")).ToContainTextAsync("build api");
            await s.Page.GetByLabel("Status").SelectOptionAsync("");
            await s.Page.GetByLabel("Name").FillAsync("deploy");
            await Expect(table.Locator("tbody tr")).ToHaveCountAsync(1);
            await table.GetByRole(AriaRole.Link, new() { Name = "deploy web" }).ClickAsync();
            await Expect(Row(s, 1)).ToContainTextAsync("deploying");
            await Expect(s.Page.Locator(".log-head .log-badge")).ToHaveTextAsync("running");
            await s.ScreenshotAsync("log-list");
        }
    }

    [Fact]
    public async Task LeavingTheTreeWhileItsListingLoads_KeepsThePageResponsive()
    {
        var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await using (s)
        {
            var task = await s.Server.Server.Logs.CreateAsync("after the tree", new LogCreateOptions { Owner = "admin" });
            await s.Server.Server.Logs.AppendAsync(task.Id, [new LogLine(0, 0, "shown")]);
            // Signing in opens the tree; leaving it before its listing has arrived cancels the listing's fetch, and
            // the tab must not spin on it.
            await s.SignInAsync();
            await s.Page.Locator(".page-tree").WaitForAsync();
            await s.Page.GotoAsync(s.Home + "#/logs/" + task.Id);
            await Expect(Row(s, 1)).ToContainTextAsync("shown", new() { Timeout = 15_000 });
            (await s.Page.EvaluateAsync<int>("() => 1 + 1")).ShouldBe(2, "the tab still runs scripts");
        }
    }
}
