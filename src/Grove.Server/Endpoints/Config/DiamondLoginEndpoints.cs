using Grove.Config;
using Grove.Identity;
using Grove.Server.Internal;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Config;

/// <summary>
/// <c>/diamond-server/login.do</c>: <c>method=login</c> (username, password) signs in as a Grove user and sets the
/// session cookie <c>admin.do</c> accepts (HttpOnly, SameSite=Strict, path <c>/diamond-server</c>); the answer also
/// carries the token for scripts that prefer <c>Authorization: Bearer</c>. <c>method=logout</c> ends the session.
/// </summary>
internal static class DiamondLoginEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var diamond = app.MapGroup(DiamondConfigEndpoints.Root).WithTags("diamond");
        diamond.MapMethods("/login.do", ["GET", "POST"], LoginAsync);
    }

    private static Task LoginAsync(HttpContext ctx, IdentityService identity, ConfigAccess access) => Guarded.RunAsync(ctx, async () =>
    {
        RefuseCrossSite(ctx);
        var args = await ConfigArgs.ReadAsync(ctx, 64 * 1024);
        switch (args["method"])
        {
            case "login":
                if (!HttpMethods.IsPost(ctx.Request.Method))
                {
                    throw new ConfigException(ConfigErrorCode.InvalidArgument, "sign in with POST (a password in a URL ends up in logs)");
                }

                var login = await identity.LoginAsync(args["username"] ?? "", args["password"] ?? "", "ip:" + (access.ClientIp(ctx) ?? "local"), ctx.RequestAborted);
                ctx.Response.Cookies.Append(ConfigAccess.DiamondCookie, login.Token, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Secure = ctx.Request.IsHttps,
                    Path = DiamondConfigEndpoints.Root,
                    Expires = DateTimeOffset.FromUnixTimeMilliseconds(login.ExpiresAt),
                });
                await JsonOut.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("message", $"signed in as {login.User}");
                    w.WriteString("user", login.User);
                    w.WriteString("token", login.Token);
                    w.WriteNumber("expiresAt", login.ExpiresAt);
                    w.WriteEndObject();
                }).ExecuteAsync(ctx);
                break;
            case "logout":
                if ((ConfigAccess.BearerHeader(ctx.Request) ?? ctx.Request.Cookies[ConfigAccess.DiamondCookie]) is { Length: > 0 } token)
                {
                    await identity.LogoutAsync(token, ctx.RequestAborted);
                }

                ctx.Response.Cookies.Delete(ConfigAccess.DiamondCookie, new CookieOptions { Path = DiamondConfigEndpoints.Root });
                await JsonOut.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("message", "signed out");
                    w.WriteEndObject();
                }).ExecuteAsync(ctx);
                break;
            default:
                throw new ConfigException(ConfigErrorCode.InvalidArgument, $"unknown method '{ConfigArgs.Shorten(args["method"] ?? "")}'; login.do takes method=login|logout");
        }
    }, e => e.WriteTextAsync(ctx));

    /// <summary>
    /// The admin pages take a session cookie on POST (Diamond's design), so a request another site's page made is
    /// refused: SameSite=Strict keeps the cookie off it in current browsers, and this check covers the rest.
    /// </summary>
    public static void RefuseCrossSite(HttpContext ctx)
    {
        var headers = ctx.Request.Headers;
        if (headers["Sec-Fetch-Site"].ToString() == "cross-site")
        {
            throw new IdentityException(IdentityErrorCode.Forbidden, "a cross-site request may not use the Diamond admin pages");
        }

        var origin = headers.Origin.ToString();
        if (origin.Length > 0 && origin != "null"
            && (!Uri.TryCreate(origin, UriKind.Absolute, out var o) || !string.Equals(o.Authority, ctx.Request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            throw new IdentityException(IdentityErrorCode.Forbidden, $"a request from {origin} may not use the Diamond admin pages of {ctx.Request.Host}");
        }
    }
}
