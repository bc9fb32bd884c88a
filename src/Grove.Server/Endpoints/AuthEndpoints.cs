using Grove.Identity;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints;

/// <summary><c>/api/v1/auth</c>: login, logout, who am I.</summary>
internal static class AuthEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("auth");

        auth.MapPost("/login", async (HttpContext ctx, IdentityService identity) =>
        {
            using var body = await JsonBody.ReadAsync(ctx, 16 * 1024);
            var e = body.RootElement;
            var user = JsonBody.String(e, "user") ?? "";
            var password = JsonBody.String(e, "password") ?? "";
            var client = "ip:" + (ctx.Connection.RemoteIpAddress?.ToString() ?? "local");
            var result = await identity.LoginAsync(user, password, client, ctx.RequestAborted);
            if (JsonBody.Bool(e, "cookie", false))
            {
                ctx.Response.Cookies.Append(AuthMiddleware.CookieName, result.Token, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Secure = ctx.Request.IsHttps,
                    Path = "/",
                    Expires = DateTimeOffset.FromUnixTimeMilliseconds(result.ExpiresAt),
                });
            }

            return JsonOut.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("token", result.Token);
                w.WriteNumber("expiresAt", result.ExpiresAt);
                w.WriteString("user", result.User);
                w.WriteEndObject();
            });
        }).WithSummary("Sign in with a user name and password; answers a bearer token.");

        auth.MapPost("/logout", async (HttpContext ctx, IdentityService identity) =>
        {
            ctx.Caller();
            if (AuthMiddleware.Bearer(ctx.Request) is { } token)
            {
                await identity.LogoutAsync(token, ctx.RequestAborted);
            }

            ctx.Response.Cookies.Delete(AuthMiddleware.CookieName);
            return Results.NoContent();
        }).WithSummary("End the session of the token used.");

        auth.MapGet("/me", (HttpContext ctx) =>
        {
            var p = ctx.Caller();
            return JsonOut.Value(new { user = p.User, groups = p.Groups, admin = p.IsAdmin });
        }).WithSummary("The signed-in user.");
    }
}
