using System.Diagnostics;
using Grove.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Grove.Server.Internal;

/// <summary>One structured line per request: method, path, status, milliseconds, user.</summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> log)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(ctx);
        }
        finally
        {
            log.LogInformation("{Method} {Path} {Status} {Ms:0.0} ms {User}", ctx.Request.Method, ctx.Request.Path.Value,
                ctx.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ctx.Features.Get<Principal>()?.User ?? "-");
        }
    }
}
