using Grove.Browser.Tests.Infrastructure;
using Grove.Server.Modules;
using Grove.Tree;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>The Hooks page (issue 13, section 4: "failures visible in the console"): each hook's delivery status, test and delete.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HooksPageTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task Hooks_AFailingWebhook_ShowsItsFailuresAndCanBeDeleted()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        var hooks = s.Server.Server.Module<HooksModule>().Hooks;
        // Note that nothing listens on port 1: every delivery fails with a refused connection.
        var hook = (await hooks.AddAsync("/inbox", [ChangeKind.Create], "http://127.0.0.1:1/none", null)).Hook;
        await s.SignInAsync(hash: "#/hooks");
        var row = s.Page.GetByRole(AriaRole.Table, new() { Name = "Hooks", Exact = true }).Locator($"tr[data-hook='{hook.Id}']");
        await Expect(row).ToContainTextAsync("/inbox");
        await Expect(row.Locator("td.status")).ToHaveTextAsync("ok");

        await s.PutAsync("/inbox/a.txt", "a"u8.ToArray());
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await hooks.ListAsync()).Single().Failures == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Expect(row.Locator("td.status")).ToContainTextAsync("failing (");
        await Expect(row).ToHaveClassAsync("failing");

        await row.GetByRole(AriaRole.Button, new() { Name = "Test" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The test event failed");

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await s.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Table, new() { Name = "Hooks", Exact = true })).ToContainTextAsync("No hooks yet.");
        (await hooks.ListAsync()).ShouldBeEmpty();
        await s.ScreenshotAsync("hooks");
    }

    [Fact]
    public async Task Hooks_NotAnAdmin_HasNoHooksLinkButSeesQueues()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.CreateUserAsync("alice");
        await s.SignInAsync("alice", RunningServer.UserPassword);
        var nav = s.Page.GetByRole(AriaRole.Navigation, new() { Name = "Services" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Queues" })).ToBeVisibleAsync();
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Hooks" })).ToHaveCountAsync(0);
    }
}
