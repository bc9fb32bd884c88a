using System.Globalization;
using Grove.Config;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Config;

/// <summary>
/// The seed's client endpoints, byte-compatible with Diamond's clients: <c>/diamond-server/config.co</c> GET (one
/// config, with <c>Content-MD5</c> and <c>Last-Modified</c>) and POST (<c>Probe-Modify-Request</c>: which of the
/// probed configs changed, answered at once, or held as a long poll when the client sends <c>longPullingTimeout</c>
/// as ACM's does), and <c>notify.do</c> (another node says a config changed). Errors are plain text with the status
/// Diamond used: 400 bad input or no client address, 503 over the request counter (with a randomized Retry-After),
/// 404 unknown, 304 while the config is being changed.
/// </summary>
internal static class DiamondConfigEndpoints
{
    public const string Root = "/diamond-server";
    private const long MaxProbeBody = 4L << 20;

    /// <summary>The header by which a Diamond server sets its clients' poll interval (seconds).</summary>
    public const string SpacingHeader = "client-spacing-interval";

    public static void Map(IEndpointRouteBuilder app)
    {
        var diamond = app.MapGroup(Root).WithTags("diamond").DisableRateLimiting();
        diamond.MapGet("/config.co", GetAsync);
        diamond.MapPost("/config.co", ProbeAsync);
        diamond.MapMethods("/notify.do", ["GET", "POST"], NotifyAsync);
    }

    private static Task GetAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access) => Guarded.RunAsync(ctx, async () =>
    {
        var args = ConfigArgs.Query(ctx);
        var key = ConfigKey.Create(args["dataId"], args.Text("group") ?? ConfigKey.DefaultGroup, Tenants.Normalize(args["tenant"]));
        var client = ClientOf(ctx, access);
        var caller = await access.CallerAsync(ctx, args);
        access.DemandRead(caller);
        Admit(engine, client.Ip);
        var item = engine.Get(key, client);
        if (item is null)
        {
            throw new ConfigException(ConfigErrorCode.NotFound, $"no config {key}");
        }

        access.DemandSecretRead(caller, item);
        var response = ctx.Response;
        response.Headers.ContentMD5 = item.Md5;
        if (engine.IsBeingModified(key))
        {
            // The seed's double check: the client keeps what it has and asks again.
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        Guarded.NoCache(response);
        response.Headers.LastModified = item.ModifiedAt.ToString("R", CultureInfo.InvariantCulture);
        response.ContentType = "text/plain; charset=UTF-8";
        response.ContentLength = item.Utf8.Length;
        await response.Body.WriteAsync(item.Utf8, ctx.RequestAborted);
    }, e => e.WriteTextAsync(ctx));

    private static Task ProbeAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access) => Guarded.RunAsync(ctx, async () =>
    {
        var args = await ConfigArgs.ReadAsync(ctx, MaxProbeBody);
        var client = ClientOf(ctx, access);
        var caller = await access.CallerAsync(ctx, args);
        access.DemandRead(caller);
        Admit(engine, client.Ip);
        var entries = ProbeText.Parse(args["Probe-Modify-Request"], "Probe-Modify-Request");
        var tenants = ProbeText.TenantsOf(entries);
        var probes = ListenSupport.Probes(entries, engine, access, caller);
        IReadOnlyList<ConfigKey> changed;
        if (ListenSupport.HoldFor(ctx.Request.Headers["longPullingTimeout"].ToString(), access.Options) is { } hold)
        {
            changed = await ListenSupport.WaitAsync(ctx, engine, probes, hold, client);
        }
        else
        {
            changed = engine.FindChanged(probes, client);
        }

        Guarded.NoCache(ctx.Response);
        if (SpacingFor(engine.Limiter, client.Ip!, access.Options.DiamondPollInterval) is { } spacing)
        {
            ctx.Response.Headers[SpacingHeader] = spacing.ToString(CultureInfo.InvariantCulture);
        }

        ctx.Response.ContentType = "text/plain; charset=UTF-8";
        await ctx.Response.WriteAsync(ProbeText.Encode(changed, tenants), ctx.RequestAborted);
    }, e => e.WriteTextAsync(ctx));

    /// <summary>
    /// The seconds a Diamond client should wait between probes (its <c>client-spacing-interval</c>): the configured
    /// interval, doubled once the client has used half of its request counter in this window and doubled again past
    /// three quarters; null when the header is turned off.
    /// </summary>
    public static int? SpacingFor(RequestLimiter limiter, string ip, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            return null;
        }

        var seconds = (int)Math.Clamp(Math.Ceiling(interval.TotalSeconds), 1, 3600);
        var limit = limiter.RefuseRequestCount;
        if (limit <= 0)
        {
            return seconds;
        }

        var used = limiter.CountOf(ip);
        var factor = used * 4L >= limit * 3L ? 4 : used * 2L >= limit ? 2 : 1;
        return Math.Min(seconds * factor, 3600);
    }

    private static Task NotifyAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access) => Guarded.RunAsync(ctx, async () =>
    {
        var args = await ConfigArgs.ReadAsync(ctx, 64 * 1024);
        if (args["method"] != "notifyConfigInfo")
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, $"unknown method '{ConfigArgs.Shorten(args["method"] ?? "")}'; notify.do takes method=notifyConfigInfo");
        }

        var key = ConfigKey.Create(args["dataId"], args.Text("group") ?? ConfigKey.DefaultGroup, Tenants.Normalize(args["tenant"]));
        Admit(engine, ClientOf(ctx, access).Ip);
        await engine.RefreshAsync(key, ctx.RequestAborted);
        ctx.Response.ContentType = "text/plain; charset=UTF-8";
        await ctx.Response.WriteAsync("OK", ctx.RequestAborted);
    }, e => e.WriteTextAsync(ctx));

    /// <summary>The client; Diamond refuses a request whose client address is unknown with 400.</summary>
    public static ConfigClient ClientOf(HttpContext ctx, ConfigAccess access)
    {
        var client = access.Client(ctx);
        return client.Ip is null
            ? throw new ConfigException(ConfigErrorCode.InvalidArgument, "the client's address is unknown (no remote address on the connection)")
            : client;
    }

    /// <summary>Counts the request against the client's address; over the seed's counter it is refused with 503.</summary>
    public static void Admit(ConfigEngine engine, string? ip)
    {
        var decision = engine.Limiter.TryAcquire(ip);
        if (!decision.Allowed)
        {
            throw new ConfigException(ConfigErrorCode.RateLimited, $"too many requests from {ip} (more than {engine.Limiter.RefuseRequestCount} per {engine.Limiter.Window.TotalSeconds:0} s); try again later")
            {
                RetryAfter = decision.RetryAfter,
            };
        }
    }
}
