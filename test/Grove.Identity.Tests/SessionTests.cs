namespace Grove.Identity.Tests;

public sealed class SessionTests : IdentityTestBase
{
    [Fact]
    public async Task LoginAsync_GoodPassword_ReturnsTokenThatAuthenticates()
    {
        var login = await Identity.LoginAsync("admin", AdminPassword, Client);
        login.User.ShouldBe("admin");
        login.ExpiresAt.ShouldBe(Clock.GetUtcNow().ToUnixTimeMilliseconds() + (long)TimeSpan.FromHours(12).TotalMilliseconds);
        login.Token.Length.ShouldBe(43);

        var p = (await Identity.AuthenticateAsync(login.Token)).ShouldNotBeNull();
        p.ShouldBe(new Principal("admin", p.Groups, true));
        p.Groups.ShouldBe(["admin"]);
    }

    [Fact]
    public async Task LoginAsync_StoresOnlyTheTokenHash()
    {
        var login = await Identity.LoginAsync("admin", AdminPassword, Client);
        var sessions = await Tree.ListAsync("/sys/sessions");
        var session = sessions.Items.ShouldHaveSingleItem();
        session.Name.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(login.Token))));
        session.Name.ShouldNotContain(login.Token);
        session.Get("user").ShouldBe("admin");
        session.Expires.ShouldBe(login.ExpiresAt);
        session.Mode.ShouldBe(0b111_000_000);
    }

    [Theory]
    [InlineData("admin", "wrong-password")]
    [InlineData("nobody", "admin-password-1")]
    [InlineData("Not A Name", "admin-password-1")]
    [InlineData("", "")]
    public async Task LoginAsync_BadCredentials_Unauthorized(string user, string password)
    {
        var e = await Should.ThrowAsync<IdentityException>(() => Identity.LoginAsync(user, password, Client));
        e.Code.ShouldBe(IdentityErrorCode.Unauthorized);
        e.Message.ShouldBe("invalid user name or password");
    }

    [Fact]
    public async Task LogoutAsync_Token_StopsWorkingAtOnceDespiteCache()
    {
        var login = await Identity.LoginAsync("admin", AdminPassword, Client);
        (await Identity.AuthenticateAsync(login.Token)).ShouldNotBeNull();

        await Identity.LogoutAsync(login.Token);

        (await Identity.AuthenticateAsync(login.Token)).ShouldBeNull();
        (await Tree.ListAsync("/sys/sessions")).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task LogoutAsync_UnknownOrMalformedToken_DoesNothing()
    {
        var login = await Identity.LoginAsync("admin", AdminPassword, Client);
        await Identity.LogoutAsync("not a token");
        await Identity.LogoutAsync(new string('A', 43));
        await Identity.LogoutAsync("");
        (await Identity.AuthenticateAsync(login.Token)).ShouldNotBeNull();
    }

    [Fact]
    public async Task AuthenticateAsync_TokenExpired_ReturnsNull()
    {
        var login = await Identity.LoginAsync("admin", AdminPassword, Client);
        (await Identity.AuthenticateAsync(login.Token)).ShouldNotBeNull();

        Clock.Advance(TimeSpan.FromHours(12) - TimeSpan.FromSeconds(1));
        (await Identity.AuthenticateAsync(login.Token)).ShouldNotBeNull();
        Clock.Advance(TimeSpan.FromSeconds(1));
        (await Identity.AuthenticateAsync(login.Token)).ShouldBeNull();
    }

    [Fact]
    public async Task AuthenticateAsync_ExpiredSession_IsSweptByTheTree()
    {
        await Identity.LoginAsync("admin", AdminPassword, Client);
        Clock.Advance(TimeSpan.FromHours(13));
        (await Tree.SweepExpiredAsync()).ShouldBe(1);
        (await Tree.ListAsync("/sys/sessions")).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task AuthenticateAsync_TamperedTokens_ReturnNullNeverThrow()
    {
        var token = (await Identity.LoginAsync("admin", AdminPassword, Client)).Token;
        var flipped = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        var cases = new[]
        {
            "", " ", token + "A", token[..^1], flipped, token.ToUpperInvariant() == token ? token.ToLowerInvariant() : token.ToUpperInvariant(),
            token[..^1] + "=", token[..^1] + "+", "Bearer " + token, new string('\0', 43), new string('x', 100_000),
            "gk_", "gk_0123456789abcdef_" + token, "gk_0123456789ABCDEF_" + token, "gk_zz_" + token, "../../etc/passwd",
            "/sys/sessions/" + token, "\u00e9" + token[1..],
        };
        foreach (var bad in cases)
        {
            (await Identity.AuthenticateAsync(bad)).ShouldBeNull(bad.Length > 60 ? bad[..60] : bad);
        }

        (await Identity.AuthenticateAsync(null!)).ShouldBeNull();
        (await Identity.AuthenticateAsync(token)).ShouldNotBeNull();
    }

    [Fact]
    public async Task AuthenticateAsync_SessionHashAsToken_IsRejected()
    {
        await Identity.LoginAsync("admin", AdminPassword, Client);
        var stored = (await Tree.ListAsync("/sys/sessions")).Items.Single().Name;
        (await Identity.AuthenticateAsync(stored)).ShouldBeNull();
    }

    [Fact]
    public async Task AuthenticateAsync_UserDeleted_TokenStopsAtOnce()
    {
        var bob = await UserAsync("bob");
        var login = await Identity.LoginAsync("bob", "bob-password", Client);
        (await Identity.AuthenticateAsync(login.Token)).ShouldBe(bob);

        await Identity.DeleteUserAsync(Admin, "bob");

        (await Identity.AuthenticateAsync(login.Token)).ShouldBeNull();
        (await Tree.ListAsync("/sys/sessions")).Items.Select(o => o.Get("user")).ShouldNotContain("bob");
    }

    [Fact]
    public async Task AuthenticateAsync_UserRecreatedWithSameName_OldSessionStaysDead()
    {
        await Identity.CreateUserAsync(Admin, "bob", "bob-password", [], false);
        var old = await Identity.LoginAsync("bob", "bob-password", Client);

        // As if a deletion's clean-up had been interrupted: the user row is gone, its session row is not.
        await Tree.DeleteAsync("/sys/users/bob");
        await Identity.CreateUserAsync(Admin, "bob", "bob-password", [], false);

        (await Identity.AuthenticateAsync(old.Token)).ShouldBeNull();
        var fresh = await Identity.LoginAsync("bob", "bob-password", Client);
        (await Identity.AuthenticateAsync(fresh.Token))!.User.ShouldBe("bob");
    }

    [Fact]
    public async Task AuthenticateAsync_CachedPrincipal_RefreshesAfterCacheLifetime()
    {
        var bob = await UserAsync("bob");
        var login = await Identity.LoginAsync("bob", "bob-password", Client);
        (await Identity.AuthenticateAsync(login.Token)).ShouldBe(bob);

        // Changed behind the service's back (as another node would): seen once the cache entry has aged out.
        await Tree.SetMetaAsync("/sys/users/bob", new Dictionary<string, object?> { ["admin"] = true });
        (await Identity.AuthenticateAsync(login.Token))!.IsAdmin.ShouldBeFalse();
        Clock.Advance(TimeSpan.FromSeconds(11));
        (await Identity.AuthenticateAsync(login.Token))!.IsAdmin.ShouldBeTrue();
    }
}
