using Grove.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>What a user who is not allowed sees, and that the session's end returns to the login page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task DeniedAccess_PrivateDirectoryOfAdmin_ShowsNotAllowedAndRefusesTheUpload()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.MkdirAsync("/private", mode: 0b111_000_000);
        await s.PutAsync("/private/secret.txt", "secret"u8.ToArray());
        await s.MkdirAsync("/shared", mode: 0b111_111_111);
        await s.CreateUserAsync("bob");
        await s.SignInAsync("bob", RunningServer.UserPassword);
        await Expect(s.Row("private")).ToBeVisibleAsync();
        await Expect(s.Page.GetByRole(AriaRole.Button, new() { Name = "User menu" })).Not.ToContainTextAsync("admin");

        await s.Row("private").DblClickAsync();
        var alert = s.Page.Locator(".listing").GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("Not allowed");
        await Expect(alert).ToContainTextAsync("/private");
        await Expect(s.Row("secret.txt")).ToHaveCountAsync(0);

        await s.Page.GetByLabel("Upload files").SetInputFilesAsync(new FilePayload
        {
            Name = "intruder.txt", MimeType = "text/plain", Buffer = "x"u8.ToArray(),
        });
        var status = s.Page.Locator("li[data-name='intruder.txt']").GetByRole(AriaRole.Alert);
        await Expect(status).ToContainTextAsync("Not allowed");
        await s.ScreenshotAsync("denied");
        (await s.Tree.FindAsync("/private/intruder.txt")).ShouldBeNull();

        // Where everyone may write, bob may create.
        await s.Breadcrumbs.GetByRole(AriaRole.Link, new() { Name = "Root" }).ClickAsync();
        await s.Row("shared").DblClickAsync();
        await Expect(s.Page.GetByText("This folder is empty.")).ToBeVisibleAsync();
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "New folder" }).ClickAsync();
        var dialog = s.Page.GetByRole(AriaRole.Dialog, new() { Name = "New folder in /shared" });
        await dialog.GetByLabel("Folder name").FillAsync("bob-dir");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(s.Row("bob-dir")).ToHaveAttributeAsync("aria-selected", "true");
        (await s.Tree.GetAsync("/shared/bob-dir")).Creator.ShouldBe("bob");
    }

    [Fact]
    public async Task ExpiredSession_NextCall_ReturnsToTheLoginPageAndSigningInResumes()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.PutAsync("/docs/a.txt", "a"u8.ToArray());
        await s.SignInAsync(hash: "#/tree/docs");
        await Expect(s.Row("a.txt")).ToBeVisibleAsync();

        var token = await s.Page.EvaluateAsync<string>("sessionStorage.getItem('grove.token')");
        await s.Server.Server.Identity.LogoutAsync(token);
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();

        await Expect(s.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("session has ended");
        await s.Page.GetByLabel("User name").FillAsync("admin");
        await s.Page.GetByLabel("Password").FillAsync(RunningServer.AdminPassword);
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(s.Row("a.txt")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task UploadedPage_OpenedWithTheSessionCookie_RunsNoScript()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.SignInAsync();
        await s.Page.GetByLabel("Upload files").SetInputFilesAsync(new FilePayload
        {
            Name = "evil.html", MimeType = "text/html",
            Buffer = "<title>evil</title><script>document.title = 'ran:' + sessionStorage.length;</script>"u8.ToArray(),
        });
        await Expect(s.Row("evil.html")).ToBeVisibleAsync();

        var response = await s.Page.GotoAsync(s.Home + "api/v1/files/evil.html");
        response!.Status.ShouldBe(200);
        (await s.Page.TitleAsync()).ShouldBe("evil");
    }
}
