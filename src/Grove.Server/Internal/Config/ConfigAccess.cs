using Grove.Config;
using Grove.Identity;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal.Config;

/// <summary>
/// Who is calling the config endpoints and what they may do. A caller is known by (first match): the principal the
/// auth middleware found (<c>/api</c>), <c>Authorization: Bearer</c>, Nacos's <c>accessToken</c> (header, query or
/// form), Nacos's <c>username</c>/<c>password</c> parameters, or the <c>login.do</c> session cookie of Diamond's
/// admin pages. Who may edit is the engine's rule (<see cref="ConfigEngine.Authorize"/>), applied once: by the
/// engine for the operations that take the caller as their actor, here (<see cref="DemandEditor"/>) only for what the
/// engine serves without one (listeners, gray releases, counters). Secrets are read only by editors and by the secret
/// readers' group; anonymous reads follow <see cref="ConfigServerOptions.AnonymousReads"/>.
/// </summary>
internal sealed class ConfigAccess(Modules.IdentityModule identity, GroveServerOptions options, ConfigEngine engine)
{
    /// <summary>The cookie <c>/diamond-server/login.do</c> sets (HttpOnly, SameSite=Strict, path /diamond-server).</summary>
    public const string DiamondCookie = "grove_diamond";

    private readonly PasswordLogins _passwords = new(() => identity.Identity, options.Time);

    public ConfigServerOptions Options => options.Config;

    /// <summary>The caller, or null when the request carries no credential.</summary>
    /// <exception cref="IdentityException"><c>unauthorized</c> when a credential is present but not valid.</exception>
    public async Task<Principal?> CallerAsync(HttpContext ctx, ConfigArgs args, bool cookie = false)
    {
        if (ctx.Features.Get<Principal>() is { } known)
        {
            return known;
        }

        var token = BearerHeader(ctx.Request) ?? Blank(ctx.Request.Headers["accessToken"].ToString()) ?? args.Text("accessToken");
        if (token is null && cookie)
        {
            token = Blank(ctx.Request.Cookies[DiamondCookie]);
        }

        Principal? principal = null;
        if (token is not null)
        {
            principal = await identity.Identity.AuthenticateAsync(token, ctx.RequestAborted)
                ?? throw new IdentityException(IdentityErrorCode.Unauthorized, "the token is invalid or has expired; sign in again");
        }
        else if (args.Text("username") is { } user && args["password"] is { } password)
        {
            principal = await _passwords.AuthenticateAsync(user, password, "ip:" + (ctx.Connection.RemoteIpAddress?.ToString() ?? "local"), ctx.RequestAborted);
        }

        if (principal is not null)
        {
            ctx.Features.Set(principal);
        }

        return principal;
    }

    /// <summary>Throws unless the request may read through the client protocols (anonymous reads, or any caller).</summary>
    public void DemandRead(Principal? caller)
    {
        if (caller is null && !options.Config.AnonymousReads)
        {
            throw new IdentityException(IdentityErrorCode.Unauthorized, "sign in to read configs (anonymous reads are off on this server)");
        }
    }

    /// <summary>The signed-in caller, or <c>unauthorized</c>.</summary>
    public static Principal Require(Principal? caller, string what) =>
        caller ?? throw new IdentityException(IdentityErrorCode.Unauthorized, $"sign in to {what}");

    /// <summary>Whether the caller may change configs and read history (the engine's rule).</summary>
    public bool CanEdit(Principal? p) => p is not null && engine.MayEdit(p);

    /// <summary>The signed-in caller when the engine's rule lets them <paramref name="what"/>; for what the engine serves without an actor.</summary>
    public Principal DemandEditor(Principal? caller, string what)
    {
        var p = Require(caller, what);
        engine.Authorize(p, what);
        return p;
    }

    /// <summary>Whether the caller may read secret configs.</summary>
    public bool CanReadSecrets(Principal? p) => p is not null && (CanEdit(p) || p.Groups.Contains(options.Config.SecretReadersGroup, StringComparer.Ordinal));

    /// <summary>Throws <c>forbidden</c> (or <c>unauthorized</c> for an anonymous caller) when the config is secret and the caller may not read it.</summary>
    public void DemandSecretRead(Principal? caller, ConfigItem item)
    {
        if (!item.Secret || CanReadSecrets(caller))
        {
            return;
        }

        if (caller is null)
        {
            throw new IdentityException(IdentityErrorCode.Unauthorized, $"{item.Key} is secret: sign in to read it");
        }

        throw new IdentityException(IdentityErrorCode.Forbidden, $"{item.Key} is secret: only admins and members of '{options.Config.EditorGroup}' or '{options.Config.SecretReadersGroup}' may read it");
    }

    /// <summary>The client address the config endpoints go by.</summary>
    public string? ClientIp(HttpContext ctx) => ClientAddress.Of(ctx, options.Config.TrustForwardedFor);

    /// <summary>The client's gray-release labels from <c>X-Grove-Labels</c> (comma-separated) and any extra ones.</summary>
    public ConfigClient Client(HttpContext ctx, params string?[] extraLabels)
    {
        var labels = ctx.Request.Headers["X-Grove-Labels"].ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(extraLabels.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l!.Trim()))
            .Take(32)
            .ToList();
        return new ConfigClient(ClientIp(ctx), labels.Count == 0 ? null : labels);
    }

    /// <summary>The bearer credential of the header, if any.</summary>
    public static string? BearerHeader(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? Blank(header[7..]) : null;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
