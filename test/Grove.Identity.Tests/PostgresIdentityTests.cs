using Xunit.Abstractions;

namespace Grove.Identity.Tests;

/// <summary>Identity over a tree on PostgreSQL: two nodes on one database share users, sessions and keys.</summary>
public sealed class PostgresIdentityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AuthenticateAsync_TwoNodesOnOneDatabase_ShareSessionsKeysAndLogout()
    {
        var store = await PostgresServer.DatabaseOrSkipAsync(output);
        if (store is null)
        {
            return;
        }

        using var folder = new TempFolder();
        var clock = new ManualTime();
        TreeOptions Node(string name) => new() { Store = store + ";Maximum Pool Size=16", DataPath = folder.Combine(name), LockDataFolder = false, Time = clock };
        var options = new IdentityOptions { PasswordIterations = 1000, Time = clock };

        await using var treeA = await TreeService.OpenAsync(Node("a"));
        await using var treeB = await TreeService.OpenAsync(Node("b"));
        await using var a = await IdentityService.OpenAsync(treeA, options);
        await using var b = await IdentityService.OpenAsync(treeB, options);

        // One bootstrap for the cluster: the second node finds the admin and shows no password.
        var password = a.BootstrapPassword.ShouldNotBeNull();
        b.BootstrapPassword.ShouldBeNull();

        var login = await a.LoginAsync("admin", password, "c");
        (await b.AuthenticateAsync(login.Token)).ShouldNotBeNull().IsAdmin.ShouldBeTrue();

        var admin = (await a.AuthenticateAsync(login.Token))!;
        await b.CreateUserAsync(admin, "bob", "bob-password", ["dev"], false);
        var bobLogin = await a.LoginAsync("bob", "bob-password", "c");
        var bob = (await b.AuthenticateAsync(bobLogin.Token)).ShouldNotBeNull();
        bob.Groups.ShouldBe(["dev"]);
        var key = await a.CreateApiKeyAsync(bob, "ci", null);
        (await b.AuthenticateAsync(key.Key))!.User.ShouldBe("bob");

        // A logout on one node reaches the other once its short principal cache has aged out.
        await a.LogoutAsync(bobLogin.Token);
        (await a.AuthenticateAsync(bobLogin.Token)).ShouldBeNull();
        clock.Advance(TimeSpan.FromSeconds(11));
        (await b.AuthenticateAsync(bobLogin.Token)).ShouldBeNull();
        (await b.AuthenticateAsync(login.Token)).ShouldNotBeNull();
    }
}
