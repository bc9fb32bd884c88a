using System.Diagnostics;
using Grove.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>
/// A directory far larger than a screen: the console shows the first small page at once, reaches the last entry by
/// scrolling or End, and never keeps more than a screenful of rows in the DOM.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BigDirectoryTests(Chromium chromium, ITestOutputHelper output)
{
    private const int Entries = 3_000;
    private const int MaxRows = 120;

    [Fact]
    public async Task BigDirectory_FirstPage_IsOneSmallRequestWithBoundedRows()
    {
        await using var s = await StartAsync();
        if (s is null)
        {
            return;
        }

        var listings = new List<string>();
        s.Page.Request += (_, r) =>
        {
            if (r.Url.Contains("/api/v1/ls/big", StringComparison.Ordinal))
            {
                listings.Add(r.Url);
            }
        };
        var clock = Stopwatch.StartNew();
        await s.SignInAsync(hash: "#/tree/big");
        await Expect(s.Row("f00000")).ToBeVisibleAsync();
        output.WriteLine($"sign-in to first row of a {Entries}-entry directory: {clock.ElapsedMilliseconds} ms");

        await Expect(s.Page.GetByText("200 entries loaded; more below")).ToBeVisibleAsync();
        listings.Count.ShouldBe(1, string.Join("\n", listings));
        listings[0].ShouldContain("limit=200");
        (await s.Listing.GetByRole(AriaRole.Option).CountAsync()).ShouldBeLessThanOrEqualTo(MaxRows);
    }

    [Fact]
    public async Task BigDirectory_ScrollingDown_LoadsPagesUntilTheLastEntryWithBoundedRows()
    {
        await using var s = await StartAsync();
        if (s is null)
        {
            return;
        }

        await s.SignInAsync(hash: "#/tree/big");
        await Expect(s.Row("f00000")).ToBeVisibleAsync();

        // Each poll scrolls to the bottom of what is loaded; loading the next page makes the list taller.
        await s.Page.WaitForFunctionAsync(
            $$"""
            () => {
              const list = document.querySelector('[role=listbox]');
              list.scrollTop = list.scrollHeight;
              return list.querySelector('[data-name="f{{Entries - 1:D5}}"]') !== null;
            }
            """,
            null,
            new PageWaitForFunctionOptions { PollingInterval = 50, Timeout = 30_000 });

        await Expect(s.Row($"f{Entries - 1:D5}")).ToBeInViewportAsync();
        await Expect(s.Page.GetByText($"{Entries:N0} entries", new() { Exact = true })).ToBeVisibleAsync();
        (await s.Listing.GetByRole(AriaRole.Option).CountAsync()).ShouldBeLessThanOrEqualTo(MaxRows);
        await Expect(s.Row("f00000")).ToHaveCountAsync(0);
        await s.ScreenshotAsync("big-directory-end");
    }

    [Fact]
    public async Task BigDirectory_EndKey_SelectsTheLastEntryAndHomeReturns()
    {
        await using var s = await StartAsync();
        if (s is null)
        {
            return;
        }

        await s.SignInAsync(hash: "#/tree/big");
        await Expect(s.Row("f00000")).ToHaveAttributeAsync("aria-selected", "true");
        await s.Page.Keyboard.PressAsync("End");
        var last = s.Row($"f{Entries - 1:D5}");
        await Expect(last).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(last).ToBeInViewportAsync();
        await Expect(s.Listing).ToHaveAttributeAsync("aria-activedescendant", $"entry-{Entries - 1}");
        (await s.Listing.GetByRole(AriaRole.Option).CountAsync()).ShouldBeLessThanOrEqualTo(MaxRows);

        await s.Page.Keyboard.PressAsync("PageUp");
        await s.Page.Keyboard.PressAsync("Home");
        await Expect(s.Row("f00000")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(s.Details.GetByRole(AriaRole.Heading, new() { Name = "f00000" })).ToBeVisibleAsync();
    }

    private async Task<ConsoleSession?> StartAsync()
    {
        var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return null;
        }

        var clock = Stopwatch.StartNew();
        await s.MkdirAsync("/big");
        for (var i = 0; i < Entries; i++)
        {
            await s.Tree.CreateAsync($"/big/f{i:D5}", Grove.Tree.ObjectRace.File, new Grove.Tree.CreateOptions { User = "admin" });
        }

        output.WriteLine($"created {Entries} entries in {clock.ElapsedMilliseconds} ms");
        return s;
    }
}
