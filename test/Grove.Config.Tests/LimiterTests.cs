using Microsoft.Extensions.Time.Testing;

namespace Grove.Config.Tests;

public sealed class LimiterTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void TryAcquire_OverTheCount_RefusesWithRetryAfterUntilTheWindowEnds()
    {
        var limiter = new RequestLimiter(3, TimeSpan.FromSeconds(10), _clock);

        Enumerable.Range(0, 3).Select(_ => limiter.TryAcquire("1.1.1.1").Allowed).ShouldAllBe(a => a);
        var refused = limiter.TryAcquire("1.1.1.1");
        refused.Allowed.ShouldBeFalse();
        refused.RetryAfter.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        refused.RetryAfter.TotalSeconds.ShouldBe(Math.Round(refused.RetryAfter.TotalSeconds), "whole seconds, as Retry-After is sent");
        limiter.TryAcquire("2.2.2.2").Allowed.ShouldBeTrue("counts are per IP");
        limiter.CountOf("1.1.1.1").ShouldBe(4);

        _clock.Advance(TimeSpan.FromSeconds(10));
        limiter.TryAcquire("1.1.1.1").Allowed.ShouldBeTrue();
    }

    [Fact]
    public void TryAcquire_BurstAcrossAClockAlignedBoundary_StillCountedInOneWindow()
    {
        // Regression (CI flake): windows were aligned to multiples of the window length, so a burst at 9.9 s and 10.1 s reset.
        _clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_009_900));
        var limiter = new RequestLimiter(3, TimeSpan.FromSeconds(10), _clock);

        limiter.TryAcquire("ip").Allowed.ShouldBeTrue();
        limiter.TryAcquire("ip").Allowed.ShouldBeTrue();
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        limiter.TryAcquire("ip").Allowed.ShouldBeTrue();
        limiter.TryAcquire("ip").Allowed.ShouldBeFalse();
        limiter.CountOf("ip").ShouldBe(4);
    }

    [Fact]
    public void RefuseRequestCount_SetAtRunTime_AppliesAtOnce_AndZeroTurnsItOff()
    {
        var limiter = new RequestLimiter(100, TimeSpan.FromSeconds(10), _clock);
        limiter.RefuseRequestCount = 1;
        limiter.TryAcquire("ip").Allowed.ShouldBeTrue();
        limiter.TryAcquire("ip").Allowed.ShouldBeFalse();

        limiter.RefuseRequestCount = 0;
        limiter.TryAcquire("ip").Allowed.ShouldBeTrue();
        limiter.RefuseRequestCount.ShouldBe(0);
        Should.Throw<ArgumentOutOfRangeException>(() => limiter.RefuseRequestCount = -1);
    }

    [Fact]
    public void RetryAfter_IsRandomized_SoRefusedClientsSpreadOut()
    {
        var limiter = new RequestLimiter(1, TimeSpan.FromSeconds(10), _clock);
        var waits = Enumerable.Range(0, 50).Select(i =>
        {
            limiter.TryAcquire($"ip{i}");
            return limiter.TryAcquire($"ip{i}").RetryAfter;
        }).Distinct().Count();
        waits.ShouldBeGreaterThan(1);
    }
}
