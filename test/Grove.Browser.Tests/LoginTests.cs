using Grove.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>Signing in and out of the console.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LoginTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task Login_BadPassword_ShowsTheErrorAndStaysOnTheForm()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.Page.GotoAsync(s.Home);
        await s.Page.GetByLabel("User name").FillAsync("admin");
        await s.Page.GetByLabel("Password").FillAsync("not-the-password");
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(s.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Sign-in failed");
        await Expect(s.Page.GetByLabel("Password")).ToBeVisibleAsync();
        await Expect(s.Listing).ToHaveCountAsync(0);
        (await s.Page.EvaluateAsync<string?>("sessionStorage.getItem('grove.token')")).ShouldBeNull();
    }

    [Fact]
    public async Task Login_GoodPassword_ShowsTheTreeAndSignOutReturnsToTheForm()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.Server.Server.Tree.MkdirAsync("/projects", new Grove.Tree.CreateOptions { User = "admin" });
        await s.SignInAsync();

        await Expect(s.Row("projects")).ToBeVisibleAsync();
        await Expect(s.Page.GetByRole(AriaRole.Navigation, new() { Name = "Services" }).GetByRole(AriaRole.Link, new() { Name = "Tree" }))
            .ToHaveAttributeAsync("aria-current", "page");
        var cookies = await s.Context.CookiesAsync();
        cookies.ShouldContain(c => c.Name == "grove_session" && c.HttpOnly);

        await s.Page.GetByRole(AriaRole.Button, new() { Name = "User menu" }).ClickAsync();
        await s.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Sign out" }).ClickAsync();

        await Expect(s.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(s.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("signed out");
        (await s.Context.CookiesAsync()).ShouldNotContain(c => c.Name == "grove_session");
    }
}
