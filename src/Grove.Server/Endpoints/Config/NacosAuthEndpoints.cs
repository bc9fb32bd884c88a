using Grove.Identity;
using Grove.Server.Internal;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Config;

/// <summary>
/// Nacos's sign-in, <c>POST /nacos/v1/auth/login</c> (also <c>/nacos/v1/auth/users/login</c>) with <c>username</c> and
/// <c>password</c>: a Grove session whose token Nacos clients send back as <c>accessToken</c>. Answers
/// <c>{"accessToken","tokenTtl"(seconds),"globalAdmin","username"}</c> and the token in <c>Authorization</c>; bad
/// credentials are 403, as Nacos answers them.
/// </summary>
internal static class NacosAuthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup(NacosConfigEndpoints.Root + "/auth").WithTags("nacos");
        auth.MapPost("/login", LoginAsync);
        auth.MapPost("/users/login", LoginAsync);
    }

    private static Task LoginAsync(HttpContext ctx, IdentityService identity, ConfigAccess access, GroveServerOptions options) => Guarded.RunAsync(ctx, async () =>
    {
        var args = await ConfigArgs.ReadAsync(ctx, 64 * 1024);
        var login = await identity.LoginAsync(args["username"] ?? "", args["password"] ?? "", "ip:" + (access.ClientIp(ctx) ?? "local"), ctx.RequestAborted);
        var principal = await identity.AuthenticateAsync(login.Token, ctx.RequestAborted);
        var ttl = Math.Max(1, (login.ExpiresAt - options.Time.GetUtcNow().ToUnixTimeMilliseconds()) / 1000);
        ctx.Response.Headers.Authorization = "Bearer " + login.Token;
        await JsonOut.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("accessToken", login.Token);
            w.WriteNumber("tokenTtl", ttl);
            w.WriteBoolean("globalAdmin", principal?.IsAdmin == true);
            w.WriteString("username", login.User);
            w.WriteEndObject();
        }).ExecuteAsync(ctx);
    }, e => NacosJson.WriteErrorAsync(ctx, e.Status == StatusCodes.Status401Unauthorized ? e with { Message = "unknown user or wrong password" } : e));
}
