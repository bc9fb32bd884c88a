using Grove.Identity;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal;

/// <summary>Request helpers used by the endpoints.</summary>
internal static class HttpContextExtensions
{
    /// <summary>The authenticated caller; the auth middleware has already refused requests without one.</summary>
    public static Principal Caller(this HttpContext ctx) =>
        ctx.Features.Get<Principal>() ?? throw new IdentityException(IdentityErrorCode.Unauthorized, "sign in first");

    /// <summary>The rate-limit partition of a request: the signed-in user, else the client's address.</summary>
    public static string ClientKeyOf(this HttpContext ctx) =>
        ctx.Features.Get<Principal>() is { } p ? "u:" + p.User : "ip:" + (ctx.Connection.RemoteIpAddress?.ToString() ?? "local");

    /// <summary>The tree path from a catch-all route value: <c>a/b</c> → <c>/a/b</c>; empty → <c>/</c>.</summary>
    public static string TreePath(string? routeValue) => "/" + (routeValue ?? "").Trim('/');
}
