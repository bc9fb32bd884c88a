namespace Grove.Client.Tests;

/// <summary>Signing in and out, and what a bad or missing credential gets.</summary>
public sealed class AuthTests : ClientTestBase
{
    [Fact]
    public async Task LoginAsync_RightPassword_SetsTokenAndMeNamesTheUser()
    {
        var client = Client();
        var login = await client.LoginAsync("admin", RunningServer.AdminPassword);

        client.Token.ShouldBe(login.Token);
        login.User.ShouldBe("admin");
        login.ExpiresAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        var me = await client.MeAsync();
        me.User.ShouldBe("admin");
        me.IsAdmin.ShouldBeTrue();
    }

    [Fact]
    public async Task LoginAsync_WrongPassword_ThrowsUnauthorizedAndKeepsNoToken()
    {
        var client = Client();
        var e = await ShouldBeRefusedAsync(() => client.LoginAsync("admin", "wrong-password"), 401, GroveErrorCode.Unauthorized);

        e.IsUnauthorized.ShouldBeTrue();
        client.Token.ShouldBeNull();
    }

    [Fact]
    public async Task LogoutAsync_AfterLogout_OldTokenIsRefused()
    {
        var client = Client();
        var token = (await client.LoginAsync("admin", RunningServer.AdminPassword)).Token;

        await client.LogoutAsync();

        client.Token.ShouldBeNull();
        await ShouldBeRefusedAsync(() => Client(token).StatAsync("/"), 401, GroveErrorCode.Unauthorized);
    }

    [Fact]
    public async Task AnyCall_TamperedOrMissingToken_ThrowsUnauthorized()
    {
        var tampered = Admin.Token![..^2] + (Admin.Token![^1] == 'a' ? "bb" : "aa");

        await ShouldBeRefusedAsync(() => Client(tampered).StatAsync("/"), 401, GroveErrorCode.Unauthorized);
        await ShouldBeRefusedAsync(() => Client("not-a-token").ListAsync("/"), 401, GroveErrorCode.Unauthorized);
        await ShouldBeRefusedAsync(() => Client().MeAsync(), 401, GroveErrorCode.Unauthorized);
    }

    [Fact]
    public async Task Token_SetByHand_IsUsedByTheNextCall()
    {
        var client = Client();
        await ShouldBeRefusedAsync(() => client.MeAsync(), 401, GroveErrorCode.Unauthorized);

        client.Token = Admin.Token;

        (await client.MeAsync()).User.ShouldBe("admin");
    }
}
