namespace Grove.Identity.Tests;

public sealed class UserAdminTests : IdentityTestBase
{
    private static async Task<string> CodeOf(Func<Task> act) => (await Should.ThrowAsync<IdentityException>(act)).Code;

    [Fact]
    public async Task CreateUserAsync_ByAdmin_CreatesUserWhoCanLogIn()
    {
        var info = await Identity.CreateUserAsync(Admin, "alice", "alice-password", ["dev", "ops", "dev"], false);
        info.ShouldBe(new UserInfo("alice", info.Groups, false, Clock.GetUtcNow().ToUnixTimeMilliseconds()));
        info.Groups.ShouldBe(["dev", "ops"]);

        var login = await Identity.LoginAsync("alice", "alice-password", Client);
        var p = (await Identity.AuthenticateAsync(login.Token))!;
        p.User.ShouldBe("alice");
        p.Groups.ShouldBe(["dev", "ops"]);
        p.IsAdmin.ShouldBeFalse();
        (await Identity.FindUserAsync("alice"))!.Groups.ShouldBe(["dev", "ops"]);
    }

    [Fact]
    public async Task CreateUserAsync_ByNonAdmin_Forbidden()
    {
        var bob = await UserAsync("bob");
        (await CodeOf(() => Identity.CreateUserAsync(bob, "carol", "carol-password", [], false))).ShouldBe(IdentityErrorCode.Forbidden);
        (await CodeOf(() => Identity.CreateUserAsync(bob, "carol", "carol-password", [], true))).ShouldBe(IdentityErrorCode.Forbidden);
        (await Identity.FindUserAsync("carol")).ShouldBeNull();
    }

    [Fact]
    public async Task CreateUserAsync_NonAdminAsksAsAdminGroupMember_StillForbidden()
    {
        var bob = await UserAsync("bob", "admin");
        bob.Groups.ShouldBe(["admin"]);
        (await CodeOf(() => Identity.CreateUserAsync(bob, "carol", "carol-password", [], false))).ShouldBe(IdentityErrorCode.Forbidden);
    }

    [Theory]
    [InlineData("Alice")]
    [InlineData("1alice")]
    [InlineData("al ice")]
    [InlineData("alice\n")]
    [InlineData("../etc")]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    public async Task CreateUserAsync_BadName_BadRequest(string name)
    {
        (await CodeOf(() => Identity.CreateUserAsync(Admin, name, "long-enough", [], false))).ShouldBe(IdentityErrorCode.BadRequest);
    }

    [Theory]
    [InlineData("_svc")]
    [InlineData("a")]
    [InlineData("web-01.prod_x")]
    public async Task CreateUserAsync_GoodName_Accepted(string name)
    {
        (await Identity.CreateUserAsync(Admin, name, "long-enough", [], false)).Name.ShouldBe(name);
        (await Identity.CreateUserAsync(Admin, "b" + new string('x', 63), "long-enough", [], false)).Name.Length.ShouldBe(64);
        (await CodeOf(() => Identity.CreateUserAsync(Admin, "b" + new string('x', 64), "long-enough", [], false))).ShouldBe(IdentityErrorCode.BadRequest);
    }

    [Fact]
    public async Task CreateUserAsync_Existing_AlreadyExists()
    {
        await Identity.CreateUserAsync(Admin, "alice", "alice-password", [], false);
        (await CodeOf(() => Identity.CreateUserAsync(Admin, "alice", "other-password", [], false))).ShouldBe(IdentityErrorCode.AlreadyExists);
        (await CodeOf(() => Identity.CreateUserAsync(Admin, "admin", "other-password", [], true))).ShouldBe(IdentityErrorCode.AlreadyExists);
    }

    [Fact]
    public async Task CreateUserAsync_ShortPasswordOrBadGroup_BadRequest()
    {
        (await CodeOf(() => Identity.CreateUserAsync(Admin, "alice", "1234567", [], false))).ShouldBe(IdentityErrorCode.BadRequest);
        (await CodeOf(() => Identity.CreateUserAsync(Admin, "alice", "12345678", ["Bad Group"], false))).ShouldBe(IdentityErrorCode.BadRequest);
        (await Identity.CreateUserAsync(Admin, "alice", "12345678", [], false)).Name.ShouldBe("alice");
    }

    [Fact]
    public async Task ListUsersAsync_AdminSeesAll_NonAdminForbidden()
    {
        var bob = await UserAsync("bob");
        await Identity.CreateUserAsync(Admin, "alice", "alice-password", [], true);
        (await Identity.ListUsersAsync(Admin)).Select(u => u.Name).ShouldBe(["admin", "alice", "bob"]);
        (await CodeOf(() => Identity.ListUsersAsync(bob))).ShouldBe(IdentityErrorCode.Forbidden);
    }

    [Fact]
    public async Task DeleteUserAsync_Rules_AdminOnlyNotSelfKnownUser()
    {
        var bob = await UserAsync("bob", "dev");
        await UserAsync("eve", "dev");
        (await CodeOf(() => Identity.DeleteUserAsync(bob, "eve"))).ShouldBe(IdentityErrorCode.Forbidden);
        (await CodeOf(() => Identity.DeleteUserAsync(Admin, "admin"))).ShouldBe(IdentityErrorCode.BadRequest);
        (await CodeOf(() => Identity.DeleteUserAsync(Admin, "nobody"))).ShouldBe(IdentityErrorCode.NotFound);

        await Identity.DeleteUserAsync(Admin, "eve");
        (await Identity.FindUserAsync("eve")).ShouldBeNull();
        (await Identity.ListGroupsAsync(Admin)).Single(g => g.Name == "dev").Members.ShouldBe(["bob"]);
        (await CodeOf(() => Identity.LoginAsync("eve", "eve-password", "c2"))).ShouldBe(IdentityErrorCode.Unauthorized);
    }

    [Fact]
    public async Task CreateGroupAsync_ByAdmin_AddsGroupToMembersPrincipals()
    {
        var bob = await UserAsync("bob");
        var login = await Identity.LoginAsync("bob", "bob-password", Client);
        (await Identity.AuthenticateAsync(login.Token))!.Groups.ShouldBeEmpty();

        (await Identity.CreateGroupAsync(Admin, "dev", ["bob"])).Members.ShouldBe(["bob"]);

        (await Identity.AuthenticateAsync(login.Token))!.Groups.ShouldBe(["dev"]);
        (await CodeOf(() => Identity.CreateGroupAsync(bob, "ops", []))).ShouldBe(IdentityErrorCode.Forbidden);
        (await CodeOf(() => Identity.CreateGroupAsync(Admin, "dev", []))).ShouldBe(IdentityErrorCode.AlreadyExists);
        (await CodeOf(() => Identity.CreateGroupAsync(Admin, "ops", ["ghost"]))).ShouldBe(IdentityErrorCode.BadRequest);
        (await CodeOf(() => Identity.CreateGroupAsync(Admin, "Ops", []))).ShouldBe(IdentityErrorCode.BadRequest);
    }

    [Fact]
    public async Task ListGroupsAsync_AdminSeesAll_UserSeesOwn()
    {
        var bob = await UserAsync("bob", "dev");
        await UserAsync("eve", "ops");
        (await Identity.ListGroupsAsync(Admin)).Select(g => g.Name).ShouldBe(["admin", "dev", "ops"]);
        var own = (await Identity.ListGroupsAsync(bob)).ShouldHaveSingleItem();
        own.Name.ShouldBe("dev");
        own.Members.ShouldBe(["bob"]);
    }

    [Fact]
    public async Task DeleteGroupAsync_ByAdmin_TakesItOffMembers()
    {
        var bob = await UserAsync("bob", "dev", "ops");
        (await CodeOf(() => Identity.DeleteGroupAsync(bob, "dev"))).ShouldBe(IdentityErrorCode.Forbidden);
        await Identity.DeleteGroupAsync(Admin, "dev");
        (await Identity.FindUserAsync("bob"))!.Groups.ShouldBe(["ops"]);
        (await CodeOf(() => Identity.DeleteGroupAsync(Admin, "dev"))).ShouldBe(IdentityErrorCode.NotFound);
    }

    [Fact]
    public async Task CreateUserAsync_ReservedAdminNameForNonAdmin_BadRequest()
    {
        await Identity.DeleteUserAsync(Principal.System, "admin");
        (await CodeOf(() => Identity.CreateUserAsync(Principal.System, "admin", "admin-password", [], false))).ShouldBe(IdentityErrorCode.BadRequest);
    }
}
