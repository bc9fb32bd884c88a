using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using static Grove.Server.Tests.ApiAssertions;

namespace Grove.Server.Tests;

/// <summary>Signing in, tokens and API keys, throttling and rate limits, as an attacker would probe them.</summary>
public sealed class AuthApiTests
{
    [Fact]
    public async Task AnyApiCall_WithoutToken_Is401WithBearerChallenge()
    {
        await using var server = await RunningServer.StartAsync();
        var anon = server.Anonymous();
        using var response = await anon.GetAsync("/api/v1/stat/");
        await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        await (await anon.PutAsync("/api/v1/files/x.txt", new StringContent("x"))).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        (await server.Server.Tree.FindAsync("/x.txt")).ShouldBeNull();
        (await anon.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anon.GetAsync("/readyz")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Login_WrongPassword_Is401AndRightPasswordGivesWorkingToken()
    {
        await using var server = await RunningServer.StartAsync();
        var anon = server.Anonymous();
        await (await anon.PostAsJsonAsync("/api/v1/auth/login", new { user = "admin", password = "wrong-password" }))
            .ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await anon.PostAsJsonAsync("/api/v1/auth/login", new { user = "nobody", password = "wrong-password" }))
            .ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");

        var admin = await server.AdminAsync();
        var me = await (await admin.GetAsync("/api/v1/auth/me")).JsonAsync();
        me.Str("user").ShouldBe("admin");
        me.GetProperty("admin").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Token_TamperedOrLoggedOut_Is401()
    {
        await using var server = await RunningServer.StartAsync();
        var admin = await server.AdminAsync();
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter!;
        var tampered = server.Anonymous();
        tampered.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^1] + (token[^1] == 'A' ? 'B' : 'A'));
        await (await tampered.GetAsync("/api/v1/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var garbage = server.Anonymous();
        garbage.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new string('x', 5000));
        await (await garbage.GetAsync("/api/v1/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");

        (await admin.PostAsync("/api/v1/auth/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await admin.GetAsync("/api/v1/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Token_PastItsLifetime_Is401()
    {
        var time = new ManualTime();
        await using var server = await RunningServer.StartAsync(o => o with { Time = time, Identity = o.Identity with { TokenLifetime = TimeSpan.FromMinutes(30) } });
        var admin = await server.AdminAsync();
        (await admin.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        time.Advance(TimeSpan.FromMinutes(31));
        await (await admin.GetAsync("/api/v1/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task ApiKey_WorksAsBearerUntilDeleted()
    {
        await using var server = await RunningServer.StartAsync();
        var admin = await server.AdminAsync();
        var key = await (await admin.PostAsJsonAsync("/api/v1/keys", new { name = "ci" })).JsonAsync(HttpStatusCode.Created);
        var service = server.Anonymous();
        service.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Str("key"));
        (await service.PutAsync("/api/v1/files/from-ci.txt", new StringContent("ok"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await admin.DeleteAsync("/api/v1/keys/" + key.Str("id"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await service.GetAsync("/api/v1/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Login_RepeatedFailures_AreThrottledWith429AndRetryAfter()
    {
        await using var server = await RunningServer.StartAsync(o => o with { Identity = o.Identity with { MaxFailedLogins = 3 } });
        var anon = server.Anonymous();
        for (var i = 0; i < 3; i++)
        {
            await (await anon.PostAsJsonAsync("/api/v1/auth/login", new { user = "admin", password = "guess-" + i }))
                .ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }

        using var refused = await anon.PostAsJsonAsync("/api/v1/auth/login", new { user = "admin", password = RunningServer.AdminPassword });
        await refused.ProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        refused.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task Requests_OverTheClientRate_Get429WithRetryAfter()
    {
        // Note that the requests go one after another: at 2 a second they stay over the limit unless each took 400 ms.
        await using var server = await RunningServer.StartAsync(o => o with { RateLimitPerSecond = 2, RateLimitBurst = 5 });
        var admin = await server.AdminAsync();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 50 && limited is null; i++)
        {
            var r = await admin.GetAsync("/api/v1/stat/");
            if (r.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = r;
            }
        }

        limited.ShouldNotBeNull("a burst of 50 requests at a limit of 5 + 2/s is refused");
        await limited.ProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        limited.Headers.RetryAfter.ShouldNotBeNull();
        (await server.Anonymous().GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK, "health checks are never limited");
    }

    [Fact]
    public async Task RateLimit_UnderTenPerSecond_AdmitsThatRateNotTenPerSecond()
    {
        await using var server = await RunningServer.StartAsync(o => o with { RateLimitPerSecond = 1, RateLimitBurst = 1 });
        var admin = await server.AdminAsync();
        var admitted = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(1.5))
        {
            using var r = await admin.GetAsync("/api/v1/stat/");
            admitted += r.StatusCode == HttpStatusCode.TooManyRequests ? 0 : 1;
        }

        // Note that a slow machine only sends fewer requests: the bound holds however long each one takes.
        var elapsed = clock.Elapsed;
        admitted.ShouldBeLessThanOrEqualTo(1 + (int)Math.Ceiling(elapsed.TotalSeconds), $"1 a second with a burst of 1, over {elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task FirstStart_WithoutAdminPassword_GeneratesOneShownOnce()
    {
        using var folder = new TempFolder();
        string password;
        await using (var first = await RunningServer.StartAsync(o => o with { Identity = o.Identity with { AdminPassword = null } }, data: folder.Path))
        {
            password = first.Server.BootstrapPassword.ShouldNotBeNull();
            password.Length.ShouldBeGreaterThanOrEqualTo(16);
            (await (await first.SignedInAsync("admin", password)).GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await using var second = await RunningServer.StartAsync(o => o with { Identity = o.Identity with { AdminPassword = null } }, data: folder.Path);
        second.Server.BootstrapPassword.ShouldBeNull();
        await second.SignedInAsync("admin", password);
    }

    [Fact]
    public async Task Users_CreatedByAdminOnly_PasswordsNeverEchoed()
    {
        await using var server = await RunningServer.StartAsync();
        var admin = await server.AdminAsync();
        var created = await (await admin.PostAsJsonAsync("/api/v1/users", new { name = "alice", password = "alice-password", groups = new[] { "staff" } }))
            .JsonAsync(HttpStatusCode.Created);
        created.ToString().ShouldNotContain("alice-password");
        var alice = await server.SignedInAsync("alice", "alice-password");
        await (await alice.PostAsJsonAsync("/api/v1/users", new { name = "mallory", password = "mallory-password" }))
            .ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await admin.PostAsJsonAsync("/api/v1/users", new { name = "alice", password = "other-password" }))
            .ProblemAsync(HttpStatusCode.Conflict, "already_exists");
        var users = await (await admin.GetAsync("/api/v1/users")).JsonAsync();
        users.ToString().ShouldNotContain("pbkdf2");
    }
}
