using Grove.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>Changing the tree from the keyboard: new folder, rename, move, delete.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ManageTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task Manage_NewFolderRenameMoveDelete_ChangeTheTreeAndTheListing()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.PutAsync("/work/notes.txt", "n"u8.ToArray());
        await s.SignInAsync(hash: "#/tree/work");
        await Expect(s.Row("notes.txt")).ToHaveAttributeAsync("aria-selected", "true");

        await s.Page.Keyboard.PressAsync("n");
        var create = s.Page.GetByRole(AriaRole.Dialog, new() { Name = "New folder in /work" });
        await create.GetByLabel("Folder name").FillAsync("archive");
        await create.GetByLabel("Folder name").PressAsync("Enter");
        await Expect(s.Row("archive")).ToHaveAttributeAsync("aria-selected", "true");
        (await s.Tree.GetAsync("/work/archive")).IsDir.ShouldBeTrue();

        await s.Row("notes.txt").ClickAsync();
        await s.Page.Keyboard.PressAsync("F2");
        var rename = s.Page.GetByRole(AriaRole.Dialog, new() { Name = "Rename or move notes.txt" });
        await rename.GetByLabel("New name or path").FillAsync("minutes.txt");
        await rename.GetByRole(AriaRole.Button, new() { Name = "Move" }).ClickAsync();
        await Expect(s.Row("minutes.txt")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(s.Row("notes.txt")).ToHaveCountAsync(0);

        await s.Page.Keyboard.PressAsync("r");
        var move = s.Page.GetByRole(AriaRole.Dialog, new() { Name = "Rename or move minutes.txt" });
        await move.GetByLabel("New name or path").FillAsync("/work/archive/minutes.txt");
        await move.GetByRole(AriaRole.Button, new() { Name = "Move" }).ClickAsync();
        await Expect(s.Row("minutes.txt")).ToHaveCountAsync(0);
        (await s.ReadAsync("/work/archive/minutes.txt")).ShouldBe("n"u8.ToArray());

        await Expect(s.Row("archive")).ToHaveAttributeAsync("aria-selected", "true");
        await s.Page.Keyboard.PressAsync("Delete");
        var delete = s.Page.GetByRole(AriaRole.Dialog, new() { Name = "Delete archive?" });
        await delete.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(delete.GetByRole(AriaRole.Alert)).ToContainTextAsync("not empty");
        await delete.GetByLabel("Also delete everything inside it").CheckAsync();
        await delete.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(s.Page.GetByText("This folder is empty.")).ToBeVisibleAsync();
        (await s.Tree.FindAsync("/work/archive")).ShouldBeNull();
    }
}
