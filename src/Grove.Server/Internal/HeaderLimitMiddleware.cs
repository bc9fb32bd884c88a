using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal;

/// <summary>Refuses requests whose headers together exceed the limit with a 413 problem (Kestrel's own, higher limit stays as a backstop).</summary>
internal sealed class HeaderLimitMiddleware(RequestDelegate next, GroveServerOptions options)
{
    public Task InvokeAsync(HttpContext ctx)
    {
        long total = 0;
        foreach (var (key, values) in ctx.Request.Headers)
        {
            total += key.Length + 4;
            foreach (var v in values)
            {
                total += v?.Length ?? 0;
            }
        }

        return total > options.MaxHeaderBytes
            ? Problem.WriteAsync(ctx, StatusCodes.Status413PayloadTooLarge, ErrorMap.TooLarge, $"the request headers have {total} bytes; the limit is {options.MaxHeaderBytes}")
            : next(ctx);
    }
}
