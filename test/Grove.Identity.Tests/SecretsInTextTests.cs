namespace Grove.Identity.Tests;

public sealed class SecretsInTextTests : IdentityTestBase
{
    [Fact]
    public async Task ToString_Records_NeverShowPasswordsTokensOrKeys()
    {
        var bob = await UserAsync("bob");
        var login = await Identity.LoginAsync("bob", "bob-password", Client);
        var key = await Identity.CreateApiKeyAsync(bob, "ci", null);
        var user = (await Identity.FindUserAsync("bob"))!;
        var keyInfo = (await Identity.ListApiKeysAsync(bob)).Single();
        var options = Options with { AdminPassword = "super-secret-admin" };
        var pwd = (string)(await Tree.GetAsync("/sys/users/bob")).Get("pwd")!;

        var texts = new[] { login.ToString(), key.ToString(), user.ToString(), keyInfo.ToString(), bob.ToString(), options.ToString() };
        foreach (var text in texts)
        {
            text.ShouldNotContain("bob-password");
            text.ShouldNotContain(login.Token);
            text.ShouldNotContain(key.Key);
            text.ShouldNotContain(key.Key[20..]);
            text.ShouldNotContain("super-secret-admin");
            text.ShouldNotContain(pwd.Split('$')[3]);
        }

        login.ToString().ShouldContain("bob");
        key.ToString().ShouldContain(key.Id);
    }

    [Fact]
    public async Task Errors_NeverShowThePassword()
    {
        var e = await Should.ThrowAsync<IdentityException>(() => Identity.LoginAsync("admin", "guess-password", Client));
        e.ToString().ShouldNotContain("guess-password");
        var short1 = await Should.ThrowAsync<IdentityException>(() => Identity.CreateUserAsync(Admin, "x", "shorty", [], false));
        short1.ToString().ShouldNotContain("shorty");
    }
}
