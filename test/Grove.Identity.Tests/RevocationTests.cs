using Xunit.Abstractions;

namespace Grove.Identity.Tests;

/// <summary>A changed password (or a deleted user) ends the user's sessions at once, here and on every other node.</summary>
public sealed class RevocationTests(ITestOutputHelper output) : IdentityTestBase
{
    [Fact]
    public async Task OldPasswordKeepsWorking_AdminResetsThePassword_OldSessionsEndAtOnce()
    {
        await Identity.CreateUserAsync(Admin, "eve", "eve-password-1", ["config"], false);
        var before = await Identity.LoginAsync("eve", "eve-password-1", Client);
        (await Identity.AuthenticateAsync(before.Token)).ShouldNotBeNull("cached now");

        await Identity.ChangePasswordAsync(Admin, "eve", null, "eve-password-2");

        (await Identity.AuthenticateAsync(before.Token)).ShouldBeNull("a session of the old password");
        await Should.ThrowAsync<IdentityException>(() => Identity.LoginAsync("eve", "eve-password-1", Client));
        var after = await Identity.LoginAsync("eve", "eve-password-2", Client);
        (await Identity.AuthenticateAsync(after.Token)).ShouldNotBeNull().User.ShouldBe("eve");
    }

    [Fact]
    public async Task OwnPasswordChange_KeepsApiKeysButEndsSessions()
    {
        await Identity.CreateUserAsync(Admin, "eve", "eve-password-1", [], false);
        var session = await Identity.LoginAsync("eve", "eve-password-1", Client);
        var eve = (await Identity.AuthenticateAsync(session.Token))!;
        var key = await Identity.CreateApiKeyAsync(eve, "ci", null);

        await Identity.ChangePasswordAsync(eve, "eve", "eve-password-1", "eve-password-2");

        (await Identity.AuthenticateAsync(session.Token)).ShouldBeNull();
        (await Identity.AuthenticateAsync(key.Key)).ShouldNotBeNull("an API key is a credential of its own");
    }

    [Fact]
    public async Task PasswordChangeOnNodeA_SessionCachedOnNodeB_RefusedOnBAtOnce()
    {
        var store = await PostgresServer.DatabaseOrSkipAsync(output);
        if (store is null)
        {
            return;
        }

        TreeOptions Node(string name) => new() { Store = store + ";Maximum Pool Size=16", DataPath = Folder.Combine(name), LockDataFolder = false, Time = Clock };
        await using var treeA = await TreeService.OpenAsync(Node("a"));
        await using var treeB = await TreeService.OpenAsync(Node("b"));
        var a = await OpenIdentityAsync(Options, treeA);
        var b = await OpenIdentityAsync(Options, treeB);
        await a.CreateUserAsync(Admin, "eve", "eve-password-1", [], false);
        var session = await a.LoginAsync("eve", "eve-password-1", Client);
        (await b.AuthenticateAsync(session.Token)).ShouldNotBeNull("b remembers eve's session");

        await a.ChangePasswordAsync(Admin, "eve", null, "eve-password-2");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await b.AuthenticateAsync(session.Token) is not null)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "node b forgets the session when a publishes the change");
            await Task.Delay(5);
        }
    }
}
