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

            return RateLimitPartition.GetTokenBucketLimiter(ctx.ClientKeyOf(), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(options.RateLimitBurst, 1),
                TokensPerPeriod = Math.Max(options.RateLimitPerSecond / 10, 1),
                ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
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
