using System.IO.Compression;
using System.Text.RegularExpressions;
using Grove.Browser.Tests.Infrastructure;
using Grove.Config;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>The config center's page: search, edit with validation and a diff before publishing, history, gray release, listeners, transfer, settings.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConfigTests(Chromium chromium, ITestOutputHelper output)
{
    private static Task PublishAsync(ConsoleSession s, string group, string dataId, string content, string? tenant = null) =>
        s.Server.Server.ConfigCenter.PublishAsync(new PublishRequest { Key = ConfigKey.Create(dataId, group, tenant), Content = content });

    private static ConfigItem? Held(ConsoleSession s, string group, string dataId, string? tenant = null) =>
        s.Server.Server.ConfigCenter.Get(ConfigKey.Create(dataId, group, tenant));

    private static ILocator Table(ConsoleSession s, string name) => s.Page.GetByRole(AriaRole.Table, new() { Name = name, Exact = true });

    [Fact]
    public async Task List_FuzzySearchByDataIdTagsAndContent_ThenOpenTheEditor()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await PublishAsync(s, "SHOP", "order-service.yaml", "port: 8080\n");
        await PublishAsync(s, "SHOP", "user-service.yaml", "port: 9090\n");
        await PublishAsync(s, "EDGE", "gateway.properties", "timeout=30\n");
        await s.SignInAsync(hash: "#/config");
        var rows = Table(s, "Configs").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(3);

        await s.Page.Locator("#config-search-dataid").FillAsync("SERVICE");
        await Expect(rows).ToHaveCountAsync(2);
        await s.Page.Locator("#config-search-dataid").FillAsync("");
        await s.Page.Locator("#config-search-content").FillAsync("9090");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("user-service.yaml");
        await s.ScreenshotAsync("config-list");

        await rows.GetByRole(AriaRole.Link, new() { Name = "user-service.yaml" }).ClickAsync();
        await Expect(s.Page.Locator("#config-content")).ToHaveValueAsync("port: 9090\n");
        await Expect(s.Page.GetByRole(AriaRole.Navigation, new() { Name = "This config" })).ToContainTextAsync("SHOP / user-service.yaml");
    }

    [Fact]
    public async Task NewConfig_InvalidJsonIsShownWithItsLine_ThenValidIsReviewedAndPublished()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.SignInAsync(hash: "#/config/new");
        await s.Page.Locator("#config-group").FillAsync("APP");
        await s.Page.Locator("#config-dataid").FillAsync("app.json");
        await s.Page.Locator("#config-type").SelectOptionAsync("json");
        await s.Page.Locator("#config-content").FillAsync("{\n  \"port\": ,\n}");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("line 2");
        await Expect(s.Page.GetByRole(AriaRole.Button, new() { Name = "Publish" })).ToBeDisabledAsync();

        await s.Page.Locator("#config-content").FillAsync("{\n  \"port\": 8080\n}");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Region, new() { Name = "Review" })).ToContainTextAsync("+  \"port\": 8080");
        await s.ScreenshotAsync("config-new-review");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Published APP/app.json" })).ToBeVisibleAsync();
        Held(s, "APP", "app.json")!.Content.ShouldBe("{\n  \"port\": 8080\n}");
        Held(s, "APP", "app.json")!.Type.ShouldBe(ConfigType.Json);
    }

    [Fact]
    public async Task Edit_ShowsTheDiffBeforePublishing_AndAnEditAfterReviewNeedsAnotherReview()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await PublishAsync(s, "G", "app.properties", "a=1\nb=2\n");
        await s.SignInAsync(hash: "#/config/edit/G/app.properties");
        await Expect(s.Page.Locator("#config-content")).ToHaveValueAsync("a=1\nb=2\n");
        await s.Page.Locator("#config-content").FillAsync("a=1\nb=3\n");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
        var review = s.Page.GetByRole(AriaRole.Region, new() { Name = "Review" });
        await Expect(review).ToContainTextAsync("-b=2");
        await Expect(review).ToContainTextAsync("+b=3");
        Held(s, "G", "app.properties")!.Content.ShouldBe("a=1\nb=2\n", "nothing is published by a review");

        await s.Page.Locator("#config-content").PressAsync("End");
        await s.Page.Locator("#config-content").PressSequentiallyAsync("c=4\n");
        await Expect(s.Page.GetByRole(AriaRole.Button, new() { Name = "Publish" })).ToBeDisabledAsync();
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Published G/app.properties" })).ToBeVisibleAsync();
        Held(s, "G", "app.properties")!.Content.ShouldBe("a=1\nb=3\nc=4\n");
    }

    [Fact]
    public async Task History_ShowsADiffBetweenVersions_AndRollsBack()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await PublishAsync(s, "G", "h.txt", "one\n");
        await PublishAsync(s, "G", "h.txt", "two\n");
        await s.SignInAsync(hash: "#/config/history/G/h.txt");
        var rows = Table(s, "History").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await rows.First.GetByRole(AriaRole.Button, new() { Name = "Changes" }).ClickAsync();
        var diff = s.Page.GetByRole(AriaRole.Region, new() { Name = "Diff" });
        await Expect(diff).ToContainTextAsync("-one");
        await Expect(diff).ToContainTextAsync("+two");
        await s.ScreenshotAsync("config-history");

        await rows.Last.GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
        await s.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.First).ToContainTextAsync("rollback");
        Held(s, "G", "h.txt")!.Content.ShouldBe("one\n");
    }

    [Fact]
    public async Task GrayRelease_PublishToAnIp_ThenPromote()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await PublishAsync(s, "G", "flag", "off");
        await s.SignInAsync(hash: "#/config/beta/G/flag");
        await Expect(s.Page.GetByText("No gray release")).ToBeVisibleAsync();
        await s.Page.Locator("#beta-ips").FillAsync("10.0.0.7, 10.0.0.8");
        await s.Page.Locator("#beta-content").FillAsync("on");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Publish gray release" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Region, new() { Name = "Current gray release" })).ToContainTextAsync("10.0.0.7, 10.0.0.8");
        var key = ConfigKey.Create("flag", "G");
        s.Server.Server.ConfigCenter.Get(key, new ConfigClient("10.0.0.7"))!.Content.ShouldBe("on");
        s.Server.Server.ConfigCenter.Get(key)!.Content.ShouldBe("off");

        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Promote to everyone" }).ClickAsync();
        await Expect(s.Page.GetByText("No gray release")).ToBeVisibleAsync();
        Held(s, "G", "flag")!.Content.ShouldBe("on");
    }

    [Fact]
    public async Task Listeners_ShowTheClientsAndWhetherTheyAreCurrent()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await PublishAsync(s, "G", "watched", "v2");
        s.Server.Server.ConfigCenter.FindChanged([new ConfigProbe(ConfigKey.Create("watched", "G"), "0123456789abcdef0123456789abcdef")], new ConfigClient("10.9.8.7"));
        await s.SignInAsync(hash: "#/config/listeners/G/watched");
        var row = Table(s, "Listeners").Locator("tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("10.9.8.7");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("no");

        await s.Page.Locator("#listeners-ip").FillAsync("10.9.8.7");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Show its configs" }).ClickAsync();
        await Expect(Table(s, "Configs of 10.9.8.7")).ToContainTextAsync("G/watched");
    }

    [Fact]
    public async Task Transfer_ExportLink_AndImportAZipUnderAPolicy()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await PublishAsync(s, "G", "a.txt", "a");
        await s.SignInAsync(hash: "#/config/transfer");
        var export = s.Page.GetByRole(AriaRole.Link, new() { Name = "Export", Exact = true });
        var download = await s.Page.RunAndWaitForDownloadAsync(() => export.ClickAsync());
        var exported = s.Server.Options.Data + "/exported.zip";
        await download.SaveAsAsync(exported);
        using (var zip = ZipFile.OpenRead(exported))
        {
            zip.Entries.Select(e => e.FullName).ShouldContain("G/a.txt");
        }

        await s.Page.Locator("#import-file").SetInputFilesAsync(exported);
        await s.Page.Locator("#import-tenant").FillAsync("staging");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Expect(s.Page.GetByText("Imported: 1 created")).ToBeVisibleAsync();
        Held(s, "G", "a.txt", "staging")!.Content.ShouldBe("a");

        await s.Page.Locator("#import-tenant").FillAsync("");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("exist already");
    }

    [Fact]
    public async Task Settings_RequestCounter_AndUsersAreOnTheAdminPage()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.SignInAsync(hash: "#/config/settings");
        await Expect(s.Page.Locator("#limiter-count")).ToHaveValueAsync("20000");
        await s.Page.Locator("#limiter-count").FillAsync("50");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(s.Page.GetByText("The request counter is 50.")).ToBeVisibleAsync();
        s.Server.Server.ConfigCenter.Limiter.RefuseRequestCount.ShouldBe(50);

        await s.Page.GetByRole(AriaRole.Link, new() { Name = "Admin page" }).ClickAsync();
        await Expect(Table(s, "Users").Locator("tr[data-user=admin]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Publish_TwiceInTheEditor_ShowsEachNewRevisionAndOneNotice()
    {
        // Regression: after Publish the editor kept the old revision and MD5, and "Published" notices stacked up.
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await PublishAsync(s, "G", "app.properties", "a=1\n");
        await s.SignInAsync(hash: "#/config/edit/G/app.properties");
        var revision = s.Page.Locator(".config-revision");
        await Expect(revision).ToContainTextAsync($"MD5 {Held(s, "G", "app.properties")!.Md5}");
        foreach (var content in new[] { "a=2\n", "a=3\n" })
        {
            var before = await revision.TextContentAsync();
            await s.Page.Locator("#config-content").FillAsync(content);
            await s.Page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
            await s.Page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();

            // Note that the server's state is read once the editor shows the publish's answer (read at the click, it
            // could still be the previous revision, which the editor also showed: the check then passed at once).
            await Expect(revision).Not.ToHaveTextAsync(before!);
            var held = Held(s, "G", "app.properties")!;
            held.Content.ShouldBe(content);
            await Expect(revision).ToHaveTextAsync($"Revision {held.Revision}, MD5 {held.Md5}, {content.Length} bytes");
        }

        Held(s, "G", "app.properties")!.Content.ShouldBe("a=3\n", "the second publish was checked against the first one's MD5");
        await Expect(s.Page.Locator(".notices .notice")).ToHaveCountAsync(1);
        await Expect(s.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Published G/app.properties");
    }

    [Fact]
    public async Task Review_InvalidYaml_SaysWhatAndWhereOnce()
    {
        // Regression: "Not valid yaml (line 2, column 9): not valid yaml at line 2, column 9: …".
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.SignInAsync(hash: "#/config/new");
        await s.Page.Locator("#config-dataid").FillAsync("shop.yaml");
        await s.Page.Locator("#config-type").SelectOptionAsync("yaml");
        await s.Page.Locator("#config-content").FillAsync("a: 1\nb: [1, 2\n");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
        var alert = s.Page.Locator(".config-editor").GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("Not valid yaml at line 3, column 1: ");
        var text = await alert.TextContentAsync();
        Regex.Matches(text!, "line 3").Count.ShouldBe(1, text);
        Regex.Matches(text!, "(?i)not valid").Count.ShouldBe(1, text);
    }
}
