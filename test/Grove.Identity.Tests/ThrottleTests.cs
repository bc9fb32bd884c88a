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
    public async Task LoginThrottle_FiveFailuresFromOneClient_ThatPairWaitsWithDoublingBackoff()
    {
        for (var i = 0; i < 5; i++)
        {
            await FailAsync("admin", Client);
        }

        (await LimitedAsync("admin", AdminPassword, Client)).RetryAfter.ShouldBe(TimeSpan.FromMinutes(1));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await FailAsync("admin", Client);
        (await LimitedAsync("admin", AdminPassword, Client)).RetryAfter.ShouldBe(TimeSpan.FromMinutes(2));
        Clock.Advance(TimeSpan.FromMinutes(2));
        await FailAsync("admin", Client);
        (await LimitedAsync("admin", AdminPassword, Client)).RetryAfter.ShouldBe(TimeSpan.FromMinutes(4));
        Clock.Advance(TimeSpan.FromMinutes(4));
        (await Identity.LoginAsync("admin", AdminPassword, Client)).User.ShouldBe("admin");
    }

    [Fact]
    public async Task LoginThrottle_AttackerElsewhere_CannotLockOutTheAccount()
    {
        for (var i = 0; i < 50; i++)
        {
            await FailAsync("admin", "attacker-" + (i / 5));
        }

        await LimitedAsync("admin", "wrong-password", "attacker-0");
        (await Identity.LoginAsync("admin", AdminPassword, Client)).User.ShouldBe("admin");
    }

    [Fact]
    public async Task LoginThrottle_FailuresForOtherNamesFromOneAddress_DoNotLockTheAdminsCorrectLogin()
    {
        for (var i = 0; i < 20; i++)
        {
            await FailAsync("user" + i, Client);
        }

        (await Identity.LoginAsync("admin", AdminPassword, Client)).User.ShouldBe("admin");
    }

    [Fact]
    public async Task LoginThrottle_ManyFailuresFromOneAddress_ThatAddressIsLimitedForEveryUser()
    {
        await Identity.CreateUserAsync(Admin, "bob", "bob-password", [], false);
        for (var i = 0; i < 100; i++)
        {
            await FailAsync("user" + i, Client);
        }

        (await LimitedAsync("bob", "bob-password", Client)).RetryAfter.ShouldBe(TimeSpan.FromMinutes(15));
        (await Identity.LoginAsync("bob", "bob-password", "another-client")).User.ShouldBe("bob");
    }

    [Fact]
    public async Task LoginAsync_AfterRetryAfter_CorrectPasswordWorksAgain()
    {
        for (var i = 0; i < 5; i++)
        {
            await FailAsync("admin", Client);
        }

        var e = await LimitedAsync("admin", AdminPassword, Client);
        Clock.Advance(e.RetryAfter!.Value - TimeSpan.FromMilliseconds(1));
        await LimitedAsync("admin", AdminPassword, Client);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        (await Identity.LoginAsync("admin", AdminPassword, Client)).User.ShouldBe("admin");
    }

    [Fact]
    public async Task LoginAsync_RefusedAttempts_DoNotExtendTheWait()
    {
        for (var i = 0; i < 5; i++)
        {
            await FailAsync("admin", Client);
        }

        var first = await LimitedAsync("admin", "wrong-password", Client);
        Clock.Advance(TimeSpan.FromSeconds(40));
        var later = await LimitedAsync("admin", "wrong-password", Client);
        later.RetryAfter.ShouldBe(first.RetryAfter - TimeSpan.FromSeconds(40));
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
            await FailAsync("ghost", Client);
        }

        (await LimitedAsync("ghost", "anything-at-all", Client)).RetryAfter.ShouldNotBeNull();
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
            await Should.ThrowAsync<IdentityException>(() => strict.LoginAsync("admin", "wrong-password", "c"));
        }

        var e = await Should.ThrowAsync<IdentityException>(() => strict.LoginAsync("admin", AdminPassword, "c"));
        e.Code.ShouldBe(IdentityErrorCode.RateLimited);
        e.RetryAfter.ShouldBe(TimeSpan.FromMinutes(1));
        (await strict.LoginAsync("admin", AdminPassword, "d")).User.ShouldBe("admin");
    }
}
