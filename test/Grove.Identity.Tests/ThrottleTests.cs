namespace Grove.Identity.Tests;

public sealed class ThrottleTests : IdentityTestBase
{
    private async Task FailAsync(string user, string client) =>
        (await Should.ThrowAsync<IdentityException>(() => Identity.LoginAsync(user, "wrong-password", client)))
            .Code.ShouldBe(IdentityErrorCode.Unauthorized);

    private async Task<IdentityException> LimitedAsync(string user, string password, string client)
    {
        var e = await Should.ThrowAsync<IdentityException>(() => Identity.LoginAsync(user, password, client));
        e.Code.ShouldBe(IdentityErrorCode.RateLimited);
        return e;
    }

    [Fact]
    public async Task LoginAsync_FiveFailuresForUser_EvenCorrectPasswordIsRateLimited()
    {
        for (var i = 0; i < 5; i++)
        {
            await FailAsync("admin", "client-" + i);
            Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var e = await LimitedAsync("admin", AdminPassword, "fresh-client");
        e.RetryAfter.ShouldBe(TimeSpan.FromMinutes(15) - TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task LoginAsync_AfterRetryAfter_CorrectPasswordWorksAgain()
    {
        for (var i = 0; i < 5; i++)
        {
            await FailAsync("admin", "client-" + i);
        }

        var e = await LimitedAsync("admin", AdminPassword, "fresh-client");
        Clock.Advance(e.RetryAfter!.Value - TimeSpan.FromMilliseconds(1));
        await LimitedAsync("admin", AdminPassword, "fresh-client");
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        (await Identity.LoginAsync("admin", AdminPassword, "fresh-client")).User.ShouldBe("admin");
    }

    [Fact]
    public async Task LoginAsync_RefusedAttempts_DoNotExtendTheWait()
    {
        for (var i = 0; i < 5; i++)
        {
            await FailAsync("admin", "c" + i);
        }

        var first = await LimitedAsync("admin", "wrong-password", "x");
        Clock.Advance(TimeSpan.FromMinutes(10));
        var later = await LimitedAsync("admin", "wrong-password", "x");
        later.RetryAfter.ShouldBe(first.RetryAfter - TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task LoginAsync_FiveFailuresFromClient_ThatClientIsLimitedForEveryUser()
    {
        await Identity.CreateUserAsync(Admin, "bob", "bob-password", [], false);
        for (var i = 0; i < 5; i++)
        {
            await FailAsync("user" + i, Client);
        }

        (await LimitedAsync("bob", "bob-password", Client)).RetryAfter.ShouldBe(TimeSpan.FromMinutes(15));
        (await Identity.LoginAsync("bob", "bob-password", "another-client")).User.ShouldBe("bob");
    }

    [Fact]
    public async Task LoginAsync_Success_ResetsTheUsersCount()
    {
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                await FailAsync("admin", $"c{round}-{i}");
            }

            (await Identity.LoginAsync("admin", AdminPassword, $"ok-{round}")).User.ShouldBe("admin");
        }
    }

    [Fact]
    public async Task LoginAsync_UnknownUser_ThrottledLikeAKnownOne()
    {
        for (var i = 0; i < 5; i++)
        {
            await FailAsync("ghost", "c" + i);
        }

        (await LimitedAsync("ghost", "anything-at-all", "c9")).RetryAfter.ShouldNotBeNull();
    }

    [Fact]
    public async Task LoginAsync_FailuresOutsideWindow_AreForgotten()
    {
        for (var i = 0; i < 4; i++)
        {
            await FailAsync("admin", "c" + i);
        }

        Clock.Advance(TimeSpan.FromMinutes(15));
        for (var i = 0; i < 4; i++)
        {
            await FailAsync("admin", "d" + i);
        }

        (await Identity.LoginAsync("admin", AdminPassword, "e")).User.ShouldBe("admin");
    }

    [Fact]
    public async Task LoginAsync_CustomLimits_AreHonoured()
    {
        var strict = await OpenIdentityAsync(Options with { MaxFailedLogins = 2, FailureWindow = TimeSpan.FromMinutes(1) });
        for (var i = 0; i < 2; i++)
        {
            await Should.ThrowAsync<IdentityException>(() => strict.LoginAsync("admin", "wrong-password", "c" + i));
        }

        var e = await Should.ThrowAsync<IdentityException>(() => strict.LoginAsync("admin", AdminPassword, "c9"));
        e.Code.ShouldBe(IdentityErrorCode.RateLimited);
        e.RetryAfter.ShouldBe(TimeSpan.FromMinutes(1));
    }
}
