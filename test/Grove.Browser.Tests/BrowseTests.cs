using Grove.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>Moving around the tree with the mouse, the breadcrumbs and the keyboard.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowseTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task Browse_IntoDirectoriesAndBack_WithMouseBreadcrumbsAndKeyboard()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.PutAsync("/projects/alpha/docs/readme.txt", "hello"u8.ToArray());
        await s.MkdirAsync("/projects/beta");
        await s.PutAsync("/zeta.txt", "z"u8.ToArray());
        await s.SignInAsync();

        await s.Row("projects").DblClickAsync();
        await Expect(s.Breadcrumbs.Locator("[aria-current=page]")).ToHaveTextAsync("projects");
        await Expect(s.Row("alpha")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(s.Listing).ToBeFocusedAsync();

        await s.Page.Keyboard.PressAsync("ArrowDown");
        await Expect(s.Row("beta")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(s.Details.GetByRole(AriaRole.Heading, new() { Name = "beta" })).ToBeVisibleAsync();
        await s.Page.Keyboard.PressAsync("ArrowUp");
        await s.Page.Keyboard.PressAsync("Enter");
        await Expect(s.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/tree/projects/alpha$"));
        await Expect(s.Row("docs")).ToBeVisibleAsync();
        await s.Page.Keyboard.PressAsync("Enter");
        await Expect(s.Row("readme.txt")).ToBeVisibleAsync();
        await Expect(s.Breadcrumbs.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Root", "projects", "alpha", "docs"]);

        await s.Page.Keyboard.PressAsync("Backspace");
        await Expect(s.Breadcrumbs.Locator("[aria-current=page]")).ToHaveTextAsync("alpha");
        await Expect(s.Row("docs")).ToHaveAttributeAsync("aria-selected", "true");

        await s.Breadcrumbs.GetByRole(AriaRole.Link, new() { Name = "Root" }).ClickAsync();
        await Expect(s.Row("zeta.txt")).ToBeVisibleAsync();
        await Expect(s.Breadcrumbs.Locator("[aria-current=page]")).ToHaveTextAsync("Root");

        await s.Page.GoBackAsync();
        await Expect(s.Row("docs")).ToBeVisibleAsync();
        await s.ScreenshotAsync("browse");
    }

    [Fact]
    public async Task Shortcuts_QuestionMark_ShowsTheHelpAndEscapeClosesIt()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.SignInAsync();
        await s.Listing.FocusAsync();
        await s.Page.Keyboard.PressAsync("?");
        var help = s.Page.GetByRole(AriaRole.Dialog, new() { Name = "Keyboard shortcuts" });
        await Expect(help).ToContainTextAsync("Search by query");
        await Expect(help).ToContainTextAsync("Up one folder");
        await s.ScreenshotAsync("shortcuts");
        await s.Page.Keyboard.PressAsync("Escape");
        await Expect(help).ToHaveCountAsync(0);
    }
}
