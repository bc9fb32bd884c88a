using Grove.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>Searching with a WnQuery typed as JSON.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SearchTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task Search_ByNameAndByMetadata_ListsOnlyTheMatches()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.PutAsync("/reports/report-q1.txt", "1"u8.ToArray());
        await s.PutAsync("/reports/report-q2.txt", "2"u8.ToArray());
        await s.PutAsync("/reports/summary.txt", "s"u8.ToArray());
        await s.Tree.SetMetaAsync("/reports/report-q2.txt", new Dictionary<string, object?> { ["year"] = 2026 }, user: "admin");
        await s.Tree.SetMetaAsync("/reports/summary.txt", new Dictionary<string, object?> { ["year"] = 2019 }, user: "admin");
        await s.SignInAsync(hash: "#/tree/reports");
        await Expect(s.Listing.GetByRole(AriaRole.Option)).ToHaveCountAsync(3);

        await s.Page.Keyboard.PressAsync("/");
        var query = s.Page.GetByLabel("Query", new() { Exact = true });
        await Expect(query).ToBeFocusedAsync();
        await Expect(s.Page.GetByLabel("In folder")).ToHaveValueAsync("/reports");
        await query.FillAsync("""{"nm":"^rep"}""");
        await query.PressAsync("Enter");
        var results = s.Page.GetByRole(AriaRole.Listbox, new() { Name = "Search results" });
        await Expect(results.GetByRole(AriaRole.Option)).ToHaveCountAsync(2);
        await Expect(results).ToContainTextAsync("/reports/report-q1.txt");
        await Expect(results).ToContainTextAsync("/reports/report-q2.txt");
        await s.ScreenshotAsync("search");

        await query.FillAsync("""{"year":"[2020,2030)"}""");
        await query.PressAsync("Enter");
        await Expect(results.GetByRole(AriaRole.Option)).ToHaveCountAsync(1);
        await Expect(results.GetByRole(AriaRole.Option)).ToHaveAttributeAsync("data-name", "report-q2.txt");

        // Enter on a result opens its folder with it selected.
        await results.FocusAsync();
        await s.Page.Keyboard.PressAsync("Enter");
        await Expect(s.Page.GetByRole(AriaRole.Listbox, new() { Name = "Contents of /reports" })).ToBeVisibleAsync();
        await Expect(s.Row("report-q2.txt")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(s.Listing.GetByRole(AriaRole.Option)).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task Search_MalformedQuery_ShowsTheErrorAndEscapeReturnsToTheListing()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.PutAsync("/reports/a.txt", "1"u8.ToArray());
        await s.SignInAsync(hash: "#/tree/reports");
        var query = s.Page.GetByLabel("Query", new() { Exact = true });
        await query.FillAsync("{\"nm\":");
        await query.PressAsync("Enter");
        await Expect(s.Page.GetByRole(AriaRole.Search).GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid JSON");
        await Expect(s.Row("a.txt")).ToBeVisibleAsync();

        await query.FillAsync("""{"nm":"^zzz"}""");
        await query.PressAsync("Enter");
        await Expect(s.Page.GetByText("No results.")).ToBeVisibleAsync();
        await query.PressAsync("Escape");
        await Expect(s.Row("a.txt")).ToBeVisibleAsync();
        await Expect(s.Page.GetByRole(AriaRole.Listbox, new() { Name = "Contents of /reports" })).ToBeVisibleAsync();
        await Expect(query).ToHaveValueAsync("");
    }

    [Fact]
    public async Task ClearSearch_AfterASearch_EmptiesTheQueryBoxAndListsTheFolder()
    {
        // Regression: "Clear search" showed the folder again but left the query in the box.
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.PutAsync("/reports/a.txt", "1"u8.ToArray());
        await s.PutAsync("/reports/b.txt", "2"u8.ToArray());
        await s.SignInAsync(hash: "#/tree/reports");
        var query = s.Page.GetByLabel("Query", new() { Exact = true });
        await query.FillAsync("""{"nm":"a.txt"}""");
        await query.PressAsync("Enter");
        await Expect(s.Page.GetByRole(AriaRole.Listbox, new() { Name = "Search results" }).GetByRole(AriaRole.Option)).ToHaveCountAsync(1);

        var clear = s.Page.GetByRole(AriaRole.Button, new() { Name = "Clear search" });
        await clear.ClickAsync();
        await Expect(query).ToHaveValueAsync("");
        await Expect(clear).ToBeHiddenAsync();
        await Expect(s.Page.GetByRole(AriaRole.Listbox, new() { Name = "Contents of /reports" }).GetByRole(AriaRole.Option)).ToHaveCountAsync(2);
    }
}
