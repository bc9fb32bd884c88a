using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Grove.Server.Internal;

/// <summary>Per-client token buckets (a signed-in user, else the address); over the limit → 429 with Retry-After.</summary>
internal static class RateLimits
{
    public static void Configure(RateLimiterOptions o, GroveServerOptions options)
    {
        o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
        {
            var path = ctx.Request.Path;
            if (options.RateLimitPerSecond <= 0 || path.StartsWithSegments("/healthz", StringComparison.Ordinal) || path.StartsWithSegments("/readyz", StringComparison.Ordinal))
            {
                return RateLimitPartition.GetNoLimiter("");
            }

            // Note that the bucket refills about ten times a second with the tokens that keep the rate exact: one token
            // every 100 ms would let a limit under 10 a second (or not a multiple of 10) through faster than asked.
            var perSecond = options.RateLimitPerSecond;
            var tokens = (perSecond / 10) + (perSecond % 10 > 0 ? 1 : 0);
            return RateLimitPartition.GetTokenBucketLimiter(ctx.ClientKeyOf(), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(options.RateLimitBurst, 1),
                TokensPerPeriod = tokens,
                ReplenishmentPeriod = TimeSpan.FromSeconds((double)tokens / perSecond),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        o.OnRejected = async (context, _) =>
        {
            var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromSeconds(1);
            await Problem.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "rate_limited",
                "too many requests from this client; slow down", wait);
        };
    }
}
