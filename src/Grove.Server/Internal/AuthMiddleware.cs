using Grove.Identity;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal;

/// <summary>
/// Authenticates every API call from <c>Authorization: Bearer …</c> (a login token or an API key). The console's
/// session cookie is accepted on GET and HEAD only, so a mutating call always needs the header and a cross-site form
/// can never change anything. Unauthenticated API calls get 401, except the few public routes.
/// </summary>
internal sealed class AuthMiddleware(RequestDelegate next, Modules.IdentityModule identity)
{
    public const string CookieName = "grove_session";

    private static readonly object MemoKey = new();

    public async Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path;
        if (!path.StartsWithSegments("/api", StringComparison.Ordinal) && !path.StartsWithSegments("/openapi", StringComparison.Ordinal))
        {
            await next(ctx);
            return;
        }

        var (bearer, credential) = Credential(ctx);
        if (bearer is not null && identity.Current is null)
        {
            // Note that a credential cannot be checked before the store is reached (a node started while it was down).
            await Problem.WriteAsync(ctx, StatusCodes.Status503ServiceUnavailable, ErrorMap.Unavailable,
                "sign-ins cannot be checked until the store is reached; try again", TimeSpan.FromSeconds(2));
            return;
        }

        if (credential is not null && await identity.Identity.AuthenticateCredentialAsync(credential, ctx.RequestAborted) is { } principal)
        {
            ctx.Features.Set(principal);
            await next(ctx);
            return;
        }

        if (IsPublic(ctx.Request))
        {
            await next(ctx);
            return;
        }

        await Problem.WriteAsync(ctx, StatusCodes.Status401Unauthorized, IdentityErrorCode.Unauthorized,
            bearer is null ? "sign in: send Authorization: Bearer <token or API key>" : "the token is invalid or has expired; sign in again");
    }

    /// <summary>The credential of a request: the bearer header, or the session cookie on a safe method.</summary>
    public static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        }

        return HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            ? request.Cookies[CookieName]
            : null;
    }

    /// <summary>
    /// The request's credential (<see cref="Bearer(HttpRequest)"/>) and its parsed, hashed form (null when malformed).
    /// An Authorization header is parsed once per HTTP/1 connection while its requests repeat it (a client's requests
    /// on a kept-alive connection do): only the parsing and hashing are remembered, every request is still
    /// authenticated against the revocable cache or the store. HTTP/2 streams of one connection run at once, so they
    /// parse their own.
    /// </summary>
    private static (string? Bearer, BearerCredential? Credential) Credential(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        var items = header.Length > 0 && (HttpProtocol.IsHttp11(ctx.Request.Protocol) || HttpProtocol.IsHttp10(ctx.Request.Protocol))
            ? ctx.Features.Get<IConnectionItemsFeature>()?.Items
            : null;
        if (items is not null && items.TryGetValue(MemoKey, out var memo) && memo is HeaderMemo last && string.Equals(last.Header, header, StringComparison.Ordinal))
        {
            return (last.Bearer, last.Credential);
        }

        var bearer = Bearer(ctx.Request);
        var credential = BearerCredential.Parse(bearer);
        if (items is not null)
        {
            items[MemoKey] = new HeaderMemo(header, bearer, credential);
        }

        return (bearer, credential);
    }

    private sealed record HeaderMemo(string Header, string? Bearer, BearerCredential? Credential);

    private static bool IsPublic(HttpRequest r) =>
        (HttpMethods.IsPost(r.Method) && r.Path.Equals("/api/v1/auth/login", StringComparison.Ordinal))
        || r.Path.StartsWithSegments("/openapi", StringComparison.Ordinal);
}
