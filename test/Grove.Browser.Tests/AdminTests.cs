using System.Net;
using System.Net.Http.Headers;
using Grove.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grove.Browser.Tests;

/// <summary>The Admin page: users, groups and API keys have a page of their own (they hid under Config → "Users &amp; limits").</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminTests(Chromium chromium, ITestOutputHelper output)
{
    private static ILocator Table(ConsoleSession s, string name) => s.Page.GetByRole(AriaRole.Table, new() { Name = name, Exact = true });

    [Fact]
    public async Task Admin_AddUserGroupAndApiKey_ThenDeleteThem()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.SignInAsync();
        await s.Page.GetByRole(AriaRole.Navigation, new() { Name = "Services" }).GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
        await Expect(Table(s, "Users").Locator("tr[data-user=admin]")).ToContainTextAsync("yes");

        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        var add = s.Page.GetByRole(AriaRole.Dialog, new() { Name = "Add a user" });
        await add.GetByLabel("User name").FillAsync("ops");
        await add.GetByLabel("Password").FillAsync("ops-password-1");
        await add.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await Expect(Table(s, "Users").Locator("tr[data-user=ops]")).ToContainTextAsync("config");
        (await s.Server.Server.Identity.FindUserAsync("ops"))!.Groups.ShouldContain("config");

        await s.Page.GetByRole(AriaRole.Button, new() { Name = "New group" }).ClickAsync();
        var group = s.Page.GetByRole(AriaRole.Dialog, new() { Name = "New group" });
        await group.GetByLabel("Group name").FillAsync("auditors");
        await group.GetByLabel("Members (comma separated user names)").FillAsync("ops");
        await group.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(Table(s, "Groups").Locator("tr[data-group=auditors]")).ToContainTextAsync("ops");
        await Expect(Table(s, "Users").Locator("tr[data-user=ops]")).ToContainTextAsync("auditors");

        await s.Page.GetByRole(AriaRole.Button, new() { Name = "New API key" }).ClickAsync();
        var key = s.Page.GetByRole(AriaRole.Dialog, new() { Name = "New API key" });
        await key.GetByLabel("Name").FillAsync("ci");
        await key.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var shown = s.Page.GetByRole(AriaRole.Dialog, new() { Name = "API key ci" });
        var secret = await shown.GetByLabel("The new API key").InputValueAsync();
        await shown.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(Table(s, "API keys").Locator("tbody tr")).ToContainTextAsync("ci");
        (await MeAsync(s, secret)).ShouldBe(HttpStatusCode.OK, "the key shown once signs a program in");

        await Table(s, "API keys").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await s.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(Table(s, "API keys")).ToContainTextAsync("No API keys yet.");
        (await MeAsync(s, secret)).ShouldBe(HttpStatusCode.Unauthorized);

        await Table(s, "Users").Locator("tr[data-user=ops]").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await s.Page.GetByRole(AriaRole.Dialog, new() { Name = "Delete ops?" }).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(Table(s, "Users").Locator("tr[data-user=ops]")).ToHaveCountAsync(0);
        (await s.Server.Server.Identity.FindUserAsync("ops")).ShouldBeNull();
        await s.ScreenshotAsync("admin");
    }

    [Fact]
    public async Task Admin_NotAnAdmin_HasNoAdminLink()
    {
        await using var s = await ConsoleSession.StartAsync(chromium, output);
        if (s is null)
        {
            return;
        }

        await s.CreateUserAsync("alice", "config");
        await s.SignInAsync("alice", RunningServer.UserPassword);
        var nav = s.Page.GetByRole(AriaRole.Navigation, new() { Name = "Services" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Logs" })).ToBeVisibleAsync();
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Admin" })).ToHaveCountAsync(0);
    }

    private static async Task<HttpStatusCode> MeAsync(ConsoleSession s, string key)
    {
        using var http = s.Server.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
