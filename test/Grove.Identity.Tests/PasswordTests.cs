namespace Grove.Identity.Tests;

public sealed class PasswordTests : IdentityTestBase
{
    private static async Task<string> CodeOf(Func<Task> act) => (await Should.ThrowAsync<IdentityException>(act)).Code;

    [Fact]
    public async Task ChangePasswordAsync_OwnWithOldPassword_Works()
    {
        var bob = await UserAsync("bob");
        await Identity.ChangePasswordAsync(bob, "bob", "bob-password", "new-bob-password");
        (await Identity.LoginAsync("bob", "new-bob-password", Client)).User.ShouldBe("bob");
        (await CodeOf(() => Identity.LoginAsync("bob", "bob-password", "c2"))).ShouldBe(IdentityErrorCode.Unauthorized);
    }

    [Fact]
    public async Task ChangePasswordAsync_OwnWithoutOrWrongOld_Refused()
    {
        var bob = await UserAsync("bob");
        (await CodeOf(() => Identity.ChangePasswordAsync(bob, "bob", null, "new-bob-password"))).ShouldBe(IdentityErrorCode.BadRequest);
        (await CodeOf(() => Identity.ChangePasswordAsync(bob, "bob", "wrong-password", "new-bob-password"))).ShouldBe(IdentityErrorCode.Forbidden);
        (await Identity.LoginAsync("bob", "bob-password", Client)).User.ShouldBe("bob");
    }

    [Fact]
    public async Task ChangePasswordAsync_WrongOldRepeatedly_IsThrottled()
    {
        var bob = await UserAsync("bob");
        for (var i = 0; i < 5; i++)
        {
            (await CodeOf(() => Identity.ChangePasswordAsync(bob, "bob", "wrong-password", "new-bob-password"))).ShouldBe(IdentityErrorCode.Forbidden);
        }

        (await CodeOf(() => Identity.ChangePasswordAsync(bob, "bob", "bob-password", "new-bob-password"))).ShouldBe(IdentityErrorCode.RateLimited);
    }

    [Fact]
    public async Task ChangePasswordAsync_SomeoneElsesAsNonAdmin_Forbidden()
    {
        var bob = await UserAsync("bob");
        await UserAsync("eve");
        (await CodeOf(() => Identity.ChangePasswordAsync(bob, "eve", "eve-password", "new-eve-password"))).ShouldBe(IdentityErrorCode.Forbidden);
        (await CodeOf(() => Identity.ChangePasswordAsync(bob, "admin", null, "new-admin-password"))).ShouldBe(IdentityErrorCode.Forbidden);
    }

    [Fact]
    public async Task ChangePasswordAsync_AdminForAnyoneWithoutOld_Works()
    {
        await UserAsync("bob");
        await Identity.ChangePasswordAsync(Admin, "bob", null, "reset-by-admin");
        (await Identity.LoginAsync("bob", "reset-by-admin", Client)).User.ShouldBe("bob");
        (await CodeOf(() => Identity.ChangePasswordAsync(Admin, "ghost", null, "whatever-long"))).ShouldBe(IdentityErrorCode.NotFound);
    }

    [Fact]
    public async Task ChangePasswordAsync_TooShort_BadRequest()
    {
        var bob = await UserAsync("bob");
        (await CodeOf(() => Identity.ChangePasswordAsync(bob, "bob", "bob-password", "short"))).ShouldBe(IdentityErrorCode.BadRequest);
        (await CodeOf(() => Identity.ChangePasswordAsync(Admin, "bob", null, ""))).ShouldBe(IdentityErrorCode.BadRequest);
    }

    [Fact]
    public async Task CreateUserAsync_HashFormat_StoresIterationsSaltAndHash()
    {
        await Identity.CreateUserAsync(Admin, "alice", "alice-password", [], false);
        var pwd = (string)(await Tree.GetAsync("/sys/users/alice")).Get("pwd")!;
        var parts = pwd.Split('$');
        parts.Length.ShouldBe(4);
        parts[0].ShouldBe("pbkdf2-sha256");
        parts[1].ShouldBe("1000");
        Convert.FromBase64String(parts[2]).Length.ShouldBe(16);
        Convert.FromBase64String(parts[3]).Length.ShouldBe(32);
        pwd.ShouldNotContain("alice-password");
    }

    [Fact]
    public async Task LoginAsync_IterationsChangedLater_OldHashStillVerifies()
    {
        await Identity.CreateUserAsync(Admin, "alice", "alice-password", [], false);
        var raised = await OpenIdentityAsync(Options with { PasswordIterations = 2000 });

        (await raised.LoginAsync("alice", "alice-password", Client)).User.ShouldBe("alice");
        await raised.CreateUserAsync(Admin, "carol", "carol-password", [], false);
        ((string)(await Tree.GetAsync("/sys/users/carol")).Get("pwd")!).ShouldStartWith("pbkdf2-sha256$2000$");
    }

    [Fact]
    public async Task CreateUserAsync_SamePasswordTwice_DifferentSalts()
    {
        await Identity.CreateUserAsync(Admin, "alice", "same-password", [], false);
        await Identity.CreateUserAsync(Admin, "carol", "same-password", [], false);
        (await Tree.GetAsync("/sys/users/alice")).Get("pwd").ShouldNotBe((await Tree.GetAsync("/sys/users/carol")).Get("pwd"));
    }

    [Fact]
    public void IdentityOptions_Default_IsAtLeast600kIterations()
    {
        new IdentityOptions().PasswordIterations.ShouldBeGreaterThanOrEqualTo(600_000);
    }

    [Fact]
    public async Task OpenAsync_DefaultIterations_StoresThemInTheAdminHash()
    {
        using var folder = new TempFolder();
        await using var tree = await TreeService.OpenAsync(new TreeOptions { DataPath = folder.Path });
        await using var identity = await IdentityService.OpenAsync(tree, new IdentityOptions { AdminPassword = AdminPassword });
        ((string)(await tree.GetAsync("/sys/users/admin")).Get("pwd")!).ShouldStartWith("pbkdf2-sha256$600000$");
        (await identity.LoginAsync("admin", AdminPassword, Client)).User.ShouldBe("admin");
    }
}
