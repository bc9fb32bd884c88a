using Grove.Browser.Tests.Infrastructure;
using Grove.Server.Modules;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>The Queues page (issue 13, section 3): each queue's depth and oldest message, and its pending messages in order.</summary>
[Collection(BrowserCollection.Name)]
public sealed class QueuesPageTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task Queues_AQueueWithMessages_ShowsDepthOldestAndItsMessagesInOrder()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.Tree.MountAsync("/jobs", "mq(jobs)", createMissing: true);
        await s.PutAsync("/jobs/first", "1"u8.ToArray());
        await s.PutAsync("/jobs/second", "2"u8.ToArray());
        var queues = s.Server.Server.Module<QueuesModule>().Queues;
        (await queues.ClaimAsync("/jobs", TimeSpan.FromMinutes(5))).ShouldNotBeNull();

        await s.SignInAsync(hash: "#/queues");

        var row = s.Page.GetByRole(AriaRole.Table, new() { Name = "Queues", Exact = true }).Locator("tr[data-queue='/jobs']");
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("2");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("1");
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"));

        await row.GetByRole(AriaRole.Link, new() { Name = "/jobs" }).ClickAsync();
        await Expect(s.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/queues/jobs$"));
        var messages = s.Page.GetByRole(AriaRole.Table, new() { Name = "Messages", Exact = true }).Locator("tbody tr");
        await Expect(messages).ToHaveCountAsync(2);
        await Expect(messages.Nth(0)).ToContainTextAsync("/jobs/first");
        await Expect(messages.Nth(0)).ToContainTextAsync("in flight until");
        await Expect(messages.Nth(1)).ToContainTextAsync("/jobs/second");
        await Expect(messages.Nth(1)).ToContainTextAsync("pending");
        await Expect(s.Page.GetByText("Messages in /jobs")).ToBeVisibleAsync();
        await s.ScreenshotAsync("queues");
    }
}
