namespace Grove.Client.Tests;

/// <summary>Users, groups, passwords and API keys through the client.</summary>
public sealed class UserTests : ClientTestBase
{
    [Fact]
    public async Task CreateUserAsync_ThenListAndDelete_ManagesAccounts()
    {
        var carol = await Admin.CreateUserAsync("carol", "carol-password-1", ["staff"]);

        carol.Name.ShouldBe("carol");
        carol.Groups.ShouldBe(["staff"]);
        carol.IsAdmin.ShouldBeFalse();
        (await Admin.ListUsersAsync()).Select(u => u.Name).ShouldContain("carol");
        await ShouldBeRefusedAsync(() => Admin.CreateUserAsync("carol", "another-password-1"), 409, GroveErrorCode.AlreadyExists);

        await Admin.DeleteUserAsync("carol");

        (await Admin.ListUsersAsync()).Select(u => u.Name).ShouldNotContain("carol");
        await ShouldBeRefusedAsync(() => Client().LoginAsync("carol", "carol-password-1"), 401, GroveErrorCode.Unauthorized);
    }

    [Fact]
    public async Task CreateGroupAsync_WithMembers_ListsAndDeletes()
    {
        await Admin.CreateUserAsync("dave", "dave-password-1");

        var group = await Admin.CreateGroupAsync("ops", ["dave"]);

        group.Members.ShouldBe(["dave"]);
        (await Admin.ListGroupsAsync()).ShouldContain(g => g.Name == "ops" && g.Members.Contains("dave"));
        await Admin.DeleteGroupAsync("ops");
        (await Admin.ListGroupsAsync()).ShouldNotContain(g => g.Name == "ops");
    }

    [Fact]
    public async Task ChangePasswordAsync_Own_OldStopsWorkingNewWorks()
    {
        var erin = await UserAsync("erin");

        await ShouldBeRefusedAsync(() => erin.ChangePasswordAsync("erin", "wrong-old-password", "erin-new-password-1"), 403, GroveErrorCode.Forbidden);
        await erin.ChangePasswordAsync("erin", RunningServer.UserPassword, "erin-new-password-1");

        await ShouldBeRefusedAsync(() => Client().LoginAsync("erin", RunningServer.UserPassword), 401, GroveErrorCode.Unauthorized);
        (await Client().LoginAsync("erin", "erin-new-password-1")).User.ShouldBe("erin");
    }

    [Fact]
    public async Task CreateApiKeyAsync_KeyAuthenticatesUntilDeleted()
    {
        var created = await Admin.CreateApiKeyAsync("ci", DateTimeOffset.UtcNow.AddDays(1));
        created.Key.ShouldNotBeNullOrEmpty();
        created.ExpiresAt.ShouldNotBeNull();

        var service = Client(created.Key);
        (await service.MeAsync()).User.ShouldBe("admin");
        var listed = await Admin.ListApiKeysAsync();
        listed.ShouldContain(k => k.Id == created.Id && k.Name == "ci");

        await Admin.DeleteApiKeyAsync(created.Id);

        await ShouldBeRefusedAsync(() => service.MeAsync(), 401, GroveErrorCode.Unauthorized);
    }
}
