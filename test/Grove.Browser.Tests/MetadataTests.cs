using Grove.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>Viewing and editing an object's metadata: custom keys and labels persist; bad input shows why.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MetadataTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task EditMetadata_SetKeysAndLabels_PersistedAndShownAfterReload()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.PutAsync("/docs/report.txt", "text"u8.ToArray());
        await s.Tree.SetMetaAsync("/docs/report.txt", new Dictionary<string, object?> { ["draft"] = true }, user: "admin");
        await s.SignInAsync(hash: "#/tree/docs?select=report.txt");
        await Expect(s.Details.GetByRole(AriaRole.Heading, new() { Name = "report.txt" })).ToBeVisibleAsync();
        await Expect(s.Details.GetByLabel("Custom metadata")).ToContainTextAsync("draft");

        await s.Details.GetByRole(AriaRole.Button, new() { Name = "Edit metadata" }).ClickAsync();
        var dialog = s.Page.GetByRole(AriaRole.Dialog, new() { Name = "Metadata of report.txt" });
        await dialog.GetByLabel("Labels").FillAsync("final, q1");
        await dialog.GetByLabel("Custom keys").FillAsync("""{"year": 2026, "owner": "ana"}""");
        await s.ScreenshotAsync("metadata-editor");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);

        var stored = await s.Tree.GetAsync("/docs/report.txt");
        stored.Meta["year"].GetInt32().ShouldBe(2026);
        stored.Meta["owner"].GetString().ShouldBe("ana");
        stored.Meta.ContainsKey("draft").ShouldBeFalse();
        stored.Labels.ShouldBe(["final", "q1"]);

        await s.Page.ReloadAsync();
        await s.Row("report.txt").ClickAsync();
        var custom = s.Details.GetByLabel("Custom metadata");
        await Expect(custom).ToContainTextAsync("year");
        await Expect(custom).ToContainTextAsync("2026");
        await Expect(custom).ToContainTextAsync("ana");
        await Expect(s.Details.GetByRole(AriaRole.List, new() { Name = "Labels" }).GetByRole(AriaRole.Listitem)).ToHaveTextAsync(["final", "q1"]);
    }

    [Fact]
    public async Task EditMetadata_BadJsonAndBadKey_ShowTheErrorAndChangeNothing()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.PutAsync("/docs/report.txt", "text"u8.ToArray());
        await s.SignInAsync(hash: "#/tree/docs?select=report.txt");
        await Expect(s.Row("report.txt")).ToHaveAttributeAsync("aria-selected", "true");
        await s.Listing.FocusAsync();
        await s.Page.Keyboard.PressAsync("e");
        var dialog = s.Page.GetByRole(AriaRole.Dialog, new() { Name = "Metadata of report.txt" });
        var save = dialog.GetByRole(AriaRole.Button, new() { Name = "Save" });

        await dialog.GetByLabel("Custom keys").FillAsync("{\"year\": ");
        await save.ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid JSON");

        await dialog.GetByLabel("Custom keys").FillAsync("""{"bad key": 1}""");
        await save.ClickAsync();
        // The server's problem+json detail, word for word.
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("bad metadata key 'bad key'");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        (await s.Tree.GetAsync("/docs/report.txt")).Meta.ShouldBeEmpty();
    }
}
