namespace Grove.Client.Tests;

/// <summary>A client over its request budget gets 429 with a Retry-After.</summary>
public sealed class RateLimitTests : ClientTestBase
{
    protected override Grove.Server.GroveServerOptions Configure(Grove.Server.GroveServerOptions options) =>
        options with { RateLimitPerSecond = 1, RateLimitBurst = 2 };

    [Fact]
    public async Task ManyCalls_OverTheBudget_ThrowRateLimitedWithRetryAfter()
    {
        GroveApiException? refused = null;
        for (var i = 0; i < 50 && refused is null; i++)
        {
            try
            {
                await Admin.StatAsync("/");
            }
            catch (GroveApiException e)
            {
                refused = e;
            }
        }

        refused.ShouldNotBeNull("50 calls in a row never went over a budget of 1 a second");
        refused.Status.ShouldBe(429);
        refused.Code.ShouldBe(GroveErrorCode.RateLimited);
        refused.RetryAfter.ShouldNotBeNull().ShouldBeGreaterThan(TimeSpan.Zero);
    }
}
