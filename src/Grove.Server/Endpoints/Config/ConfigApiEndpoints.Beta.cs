using Grove.Identity;
using Grove.Config;
using Grove.Server.Internal;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Config;

internal static partial class ConfigApiEndpoints
{
    private static void MapBeta(RouteGroupBuilder config)
    {
        config.MapGet(Item + "/beta", GetBeta).WithSummary("The gray release of a config.");
        config.MapPut(Item + "/beta", PublishBetaAsync).WithSummary("Publish a gray release to client IPs or labels.");
        config.MapDelete(Item + "/beta", CancelBetaAsync).WithSummary("End a gray release.");
        config.MapPost(Item + "/beta/promote", PromoteBetaAsync).WithSummary("Make the gray release the content for everyone.");
        config.MapGet(Item + "/listeners", Listeners).WithSummary("Clients that probe or long-poll a config, with the MD5 each holds.");
        config.MapGet("/listeners", ListenersByIp).WithSummary("The configs one client IP probes or long-polls.");
        config.MapGet("/limiter", Limiter).WithSummary("The request counter (Diamond's refuse-request count).");
        config.MapPut("/limiter", SetLimiterAsync).WithSummary("Set the request counter (admins).");
        config.MapGet("/stats", Stats).WithSummary("What this node serves and holds: configs, long polls, push streams, revision, store state.");
    }

    private static IResult GetBeta(string group, string dataId, HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        access.DemandEditor(ctx.Caller(), "read gray releases");
        var key = KeyOf(ctx, group, dataId);
        var beta = engine.GetBeta(key) ?? throw new ConfigException(ConfigErrorCode.NotFound, $"{key} has no gray release");
        return JsonOut.Write(w => ConfigJson.Beta(w, beta, content: true));
    }

    private static async Task<IResult> PublishBetaAsync(string group, string dataId, HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var caller = ConfigAccess.Require(ctx.Caller(), "publish gray releases");
        using var body = await JsonBody.ReadAsync(ctx, BodyLimit(access));
        var e = body.RootElement;
        var beta = await engine.PublishBetaAsync(new BetaRequest
        {
            Key = KeyOf(ctx, group, dataId),
            Content = JsonBody.String(e, "content") ?? throw new ConfigException(ConfigErrorCode.InvalidArgument, "'content' is required"),
            Ips = JsonBody.Strings(e, "ips"),
            Labels = JsonBody.Strings(e, "labels"),
            Actor = caller,
            ClientIp = access.ClientIp(ctx),
        }, ctx.RequestAborted);
        return JsonOut.Write(w => ConfigJson.Beta(w, beta, content: true));
    }

    private static async Task<IResult> CancelBetaAsync(string group, string dataId, HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var caller = ConfigAccess.Require(ctx.Caller(), "cancel gray releases");
        var key = KeyOf(ctx, group, dataId);
        return await engine.CancelBetaAsync(key, caller, access.ClientIp(ctx), ctx.RequestAborted)
            ? Results.NoContent()
            : throw new ConfigException(ConfigErrorCode.NotFound, $"{key} has no gray release");
    }

    private static async Task<IResult> PromoteBetaAsync(string group, string dataId, HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var caller = ConfigAccess.Require(ctx.Caller(), "promote gray releases");
        var result = await engine.PromoteBetaAsync(KeyOf(ctx, group, dataId), caller, access.ClientIp(ctx), ctx.RequestAborted);
        return JsonOut.Write(w => ConfigJson.Item(w, result.Item, content: false, secretsVisible: true));
    }

    private static IResult Listeners(string group, string dataId, HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        access.DemandEditor(ctx.Caller(), "list listeners");
        var key = KeyOf(ctx, group, dataId);
        var listeners = engine.GetListeners(key);
        return JsonOut.Write(w =>
        {
            w.WriteStartArray();
            foreach (var l in listeners)
            {
                ConfigJson.Listener(w, l, engine.GetMd5(key, new ConfigClient(l.Ip)));
            }

            w.WriteEndArray();
        });
    }

    private static IResult ListenersByIp(HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        access.DemandEditor(ctx.Caller(), "list listeners");
        var ip = QueryArgs.String(ctx.Request, "ip") ?? throw new ConfigException(ConfigErrorCode.InvalidArgument, "'ip' is required");
        var listeners = engine.GetListenersByIp(ip);
        return JsonOut.Write(w =>
        {
            w.WriteStartArray();
            foreach (var l in listeners)
            {
                ConfigJson.Listener(w, l, engine.GetMd5(l.Key, new ConfigClient(ip)));
            }

            w.WriteEndArray();
        });
    }

    private static IResult Limiter(HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        access.DemandEditor(ctx.Caller(), "read the request counter");
        return LimiterJson(engine);
    }

    private static async Task<IResult> SetLimiterAsync(HttpContext ctx, ConfigEngine engine)
    {
        TreeAccess.DemandAdmin(ctx.Caller(), "set the request counter");
        using var body = await JsonBody.ReadAsync(ctx, 4096);
        var count = JsonBody.Long(body.RootElement, "refuseRequestCount") ?? throw new ConfigException(ConfigErrorCode.InvalidArgument, "'refuseRequestCount' is required");
        if (count is < 0 or > int.MaxValue)
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, "'refuseRequestCount' is 0 (off) or a positive number of requests per window");
        }

        engine.Limiter.RefuseRequestCount = (int)count;
        return LimiterJson(engine);
    }

    private static IResult Stats(HttpContext ctx, ConfigEngine engine, ConfigAccess access, ConfigWatchHub hub)
    {
        access.DemandEditor(ctx.Caller(), "read the config center's state");
        return JsonOut.Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("configs", engine.Count);
            w.WriteNumber("revision", engine.Revision);
            w.WriteNumber("longPolls", engine.WaiterCount);
            w.WriteNumber("pushStreams", hub.Count);
            w.WriteBoolean("storeAvailable", engine.IsStoreAvailable);

            if (engine.UnavailableReason is { } why)
            {
                w.WriteString("unavailableReason", why);
            }

            w.WriteEndObject();
        });
    }

    private static IResult LimiterJson(ConfigEngine engine) => JsonOut.Write(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("refuseRequestCount", engine.Limiter.RefuseRequestCount);
        w.WriteNumber("windowSeconds", engine.Limiter.Window.TotalSeconds);
        w.WriteEndObject();
    });
}
