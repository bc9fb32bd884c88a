using System.Text.RegularExpressions;
using Grove.Browser.Tests.Infrastructure;
using Grove.Logs;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>
/// The console at a desktop (1400 px), a small laptop or tablet (900 px) and a phone (420 px) width: every page is
/// reachable from the navigation and nothing overflows sideways; every page writes dates alike; files get icons.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LayoutTests(Chromium chromium, ITestOutputHelper output)
{
    [Theory]
    [InlineData(1400)]
    [InlineData(900)]
    [InlineData(420)]
    public async Task Navigation_AtEachWidth_ReachesEveryPageWithoutSidewaysScrolling(int width)
    {
        // Regression: below 900 px the side navigation disappeared and nothing took its place.
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.Page.SetViewportSizeAsync(width, 800);
        await s.PutAsync("/docs/a-rather-long-file-name-for-a-narrow-screen.txt", "x"u8.ToArray());
        await s.SignInAsync(hash: "#/tree/docs");
        var nav = s.Page.GetByRole(AriaRole.Navigation, new() { Name = "Services" });
        var main = s.Page.Locator("main");
        var navBox = (await nav.BoundingBoxAsync()).ShouldNotBeNull();
        var mainBox = (await main.BoundingBoxAsync()).ShouldNotBeNull();
        if (width > 900)
        {
            (navBox.X + navBox.Width).ShouldBeLessThanOrEqualTo(mainBox.X + 1, "a side navigation left of the page");
        }
        else
        {
            (navBox.Y + navBox.Height).ShouldBeLessThanOrEqualTo(mainBox.Y + 1, "a row of tabs above the page");
        }

        foreach (var (title, hash, heading) in new[]
        {
            ("Config", "#/config", "Config center"), ("Logs", "#/logs", "Task logs"), ("Admin", "#/admin", "Administration"), ("Tree", "#/tree", "Root"),
        })
        {
            var link = nav.GetByRole(AriaRole.Link, new() { Name = title, Exact = true });
            await Expect(link).ToBeInViewportAsync(new() { Ratio = 1 });
            await link.ClickAsync();
            await Expect(s.Page).ToHaveURLAsync(new Regex(Regex.Escape(hash) + "/?$"));
            await Expect(link).ToHaveAttributeAsync("aria-current", "page");
            await Expect(main.GetByText(heading, new() { Exact = true }).First).ToBeVisibleAsync();
            await s.ScreenshotAsync($"layout-{width}-{title.ToLowerInvariant()}");
            var overflow = await s.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            overflow.ShouldBeLessThanOrEqualTo(0, $"the {title} page scrolls sideways at {width} px");
        }
    }

    [Fact]
    public async Task Dates_TreeConfigLogsAndAdmin_ShareOneFormat()
    {
        // Regression: the Tree page wrote 2026-12-03 14:05 while the Config page wrote 3 Dec 2026, 14:05:09.
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.PutAsync("/a.txt", "a"u8.ToArray());
        await s.Server.Server.ConfigCenter.PublishAsync(new Grove.Config.PublishRequest { Key = Grove.Config.ConfigKey.Create("app.yaml", "G"), Content = "a: 1\n" });
        var task = await s.Server.Server.Logs.CreateAsync("nightly", new LogCreateOptions { Owner = "admin" });
        await s.Server.Server.Logs.FinishAsync(task.Id, LogTaskStatus.Succeeded, 0);
        await s.SignInAsync();

        await Expect(s.Row("a.txt").Locator(".time")).ToHaveTextAsync(DateTime());
        await s.Page.GotoAsync(s.Home + "#/config");
        await Expect(s.Page.GetByRole(AriaRole.Table, new() { Name = "Configs" }).Locator("tbody tr td").Filter(new() { HasTextRegex = DateTime() })).ToHaveCountAsync(1);
        await s.Page.GotoAsync(s.Home + "#/config/history/G/app.yaml");
        await Expect(s.Page.GetByRole(AriaRole.Table, new() { Name = "History" }).Locator("tbody tr td").Filter(new() { HasTextRegex = DateTime() })).ToHaveCountAsync(1);
        await s.Page.GotoAsync(s.Home + "#/logs");
        await Expect(s.Page.GetByRole(AriaRole.Table, new() { Name = "Tasks" }).Locator("tbody tr td").Filter(new() { HasTextRegex = DateTime() })).ToHaveCountAsync(1);
        await s.Page.GotoAsync(s.Home + "#/admin");
        await Expect(s.Page.GetByRole(AriaRole.Table, new() { Name = "Users" }).Locator("tr[data-user=admin] td").Filter(new() { HasTextRegex = DateTime() })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Listing_FoldersAndFilesOfEachKind_GetTheirOwnIcons()
    {
        // Regression: file icons were empty boxes that read as checkboxes.
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.MkdirAsync("/mix/folder");
        foreach (var name in new[] { "notes.txt", "app.yaml", "photo.png", "report.pdf", "backup.zip", "data.bin" })
        {
            await s.PutAsync("/mix/" + name, "x"u8.ToArray());
        }

        await s.SignInAsync(hash: "#/tree/mix");
        foreach (var (name, kind) in new[] { ("folder", "dir"), ("notes.txt", "text"), ("app.yaml", "code"), ("photo.png", "image"), ("report.pdf", "pdf"), ("backup.zip", "archive"), ("data.bin", "file") })
        {
            var icon = s.Row(name).Locator("svg.icon");
            await Expect(icon).ToHaveAttributeAsync("data-kind", kind);
            (await icon.Locator("path").CountAsync()).ShouldBeGreaterThan(0, $"{name} has a drawn icon");
        }

        await s.ScreenshotAsync("icons");
    }

    [Fact]
    public async Task EmptyTree_AnAdminIsToldHowToFillItWithSampleData()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.SignInAsync();
        await s.ScreenshotAsync("empty-tree");
        await Expect(s.Page.GetByText("grove demo --server " + s.Home.TrimEnd('/'))).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")]
    private static partial Regex DateTime();
}
