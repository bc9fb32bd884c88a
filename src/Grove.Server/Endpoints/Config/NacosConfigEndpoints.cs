using System.Globalization;
using Grove.Config;
using Grove.Identity;
using Grove.Server.Internal;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Config;

/// <summary>
/// Nacos's open API v1 for configs, so Nacos clients work unchanged: <c>/nacos/v1/cs/configs</c> GET (the raw
/// content, or <c>search=accurate|blur</c>, <c>show=all</c>, <c>beta=true</c>), POST (publish; <c>betaIps</c> header or
/// <c>tag</c> for a gray release; <c>casMd5</c> for compare-and-swap; answers <c>true</c>), DELETE; and the long poll
/// <c>/nacos/v1/cs/configs/listener</c>; export and import (<c>NacosConfigEndpoints.Transfer.cs</c>). Credentials: <c>accessToken</c> (from <c>/nacos/v1/auth/login</c>), a bearer
/// header, or <c>username</c>/<c>password</c> on the request. Reads and listening are anonymous when
/// <see cref="ConfigServerOptions.AnonymousReads"/>; everything else needs a user (writes an editor).
/// </summary>
internal static partial class NacosConfigEndpoints
{
    public const string Root = "/nacos/v1";

    public static void Map(IEndpointRouteBuilder app)
    {
        var cs = app.MapGroup(Root + "/cs").WithTags("nacos").DisableRateLimiting();
        cs.MapGet("/configs", GetAsync);
        cs.MapPost("/configs", PublishAsync);
        cs.MapDelete("/configs", DeleteAsync);
        cs.MapPost("/configs/listener", ListenAsync);
        cs.MapGet("/configs/listener", ListenersAsync);
    }

    private static Task GetAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access) => Guarded.RunAsync(ctx, async () =>
    {
        var args = ConfigArgs.Query(ctx);
        var caller = await access.CallerAsync(ctx, args);
        if (IsExport(args))
        {
            await ExportAsync(ctx, engine, access, args, caller);
            return;
        }

        if (args.Text("search") is { } search)
        {
            await SearchAsync(ctx, engine, access, args, caller, search);
            return;
        }

        access.DemandRead(caller);
        var key = KeyOf(args);
        if (args["beta"] == "true")
        {
            access.DemandEditor(caller, "read gray releases");
            var beta = engine.GetBeta(key);
            await NacosJson.Result("query beta ok", beta is null ? null : w =>
            {
                w.WriteStartObject();
                w.WriteString("dataId", key.DataId);
                w.WriteString("group", key.Group);
                w.WriteString("tenant", key.Tenant);
                w.WriteString("content", beta.Utf8.Span);
                w.WriteString("md5", beta.Md5);
                w.WriteString("betaIps", string.Join(',', beta.Ips));
                w.WriteEndObject();
            }).ExecuteAsync(ctx);
            return;
        }

        var client = access.Client(ctx, args.Text("tag"));
        DiamondConfigEndpoints.Admit(engine, client.Ip);
        var item = engine.Get(key, client);
        if (item is null)
        {
            await new ConfigError(StatusCodes.Status404NotFound, ConfigErrorCode.NotFound, "config data not exist").WriteTextAsync(ctx, "config data not exist\n");
            return;
        }

        access.DemandSecretRead(caller, item);
        if (args["show"] == "all")
        {
            await JsonOut.Write(w => NacosJson.ConfigInfo(w, item, content: true, all: true)).ExecuteAsync(ctx);
            return;
        }

        var response = ctx.Response;
        response.Headers["Config-Type"] = ConfigTypes.Name(item.Type);
        response.Headers.ContentMD5 = item.Md5;
        Guarded.NoCache(response);
        response.Headers.LastModified = item.ModifiedAt.ToString("R", CultureInfo.InvariantCulture);
        if (item.IsBeta)
        {
            response.Headers["isBeta"] = "true";
        }

        response.ContentType = ContentTypeOf(item.Type);
        response.ContentLength = item.Utf8.Length;
        await response.Body.WriteAsync(item.Utf8, ctx.RequestAborted);
    }, e => NacosJson.WriteErrorAsync(ctx, e));

    private static async Task SearchAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access, ConfigArgs args, Principal? caller, string search)
    {
        ConfigAccess.Require(caller, "search configs");
        var match = search switch
        {
            "accurate" => ConfigMatch.Exact,
            "blur" => ConfigMatch.Wildcard,
            _ => throw new ConfigException(ConfigErrorCode.InvalidArgument, $"search is accurate or blur, not '{ConfigArgs.Shorten(search)}'"),
        };
        var page = engine.List(new ConfigQuery
        {
            Tenant = Tenants.Normalize(args["tenant"]),
            DataId = args.Text("dataId"),
            Group = args.Text("group"),
            App = args.Text("appName"),
            Tags = args.Text("config_tags")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Match = match,
            PageNo = args.Int("pageNo", 1, 1, 1_000_000),
            PageSize = args.Int("pageSize", 100, 1, 1000),
        });
        await JsonOut.Write(w => NacosJson.Page(w, page, i => !i.Secret || access.CanReadSecrets(caller))).ExecuteAsync(ctx);
    }

    private static Task PublishAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access) => Guarded.RunAsync(ctx, async () =>
    {
        if (ctx.Request.Query["import"] == "true")
        {
            await ImportAsync(ctx, engine, access);
            return;
        }

        var args = await ConfigArgs.ReadAsync(ctx, (access.Options.MaxContentBytes * 3L) + (64 * 1024));
        var caller = ConfigAccess.Require(await access.CallerAsync(ctx, args), "publish configs");
        var key = KeyOf(args);
        var content = args["content"];
        if (string.IsNullOrWhiteSpace(content))
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, "content is required (Nacos refuses blank content)");
        }

        var ip = access.ClientIp(ctx);
        var betaIps = ctx.Request.Headers["betaIps"].ToString();
        if (betaIps.Length > 0 || args.Text("tag") is not null)
        {
            await engine.PublishBetaAsync(new BetaRequest
            {
                Key = key,
                Content = content,
                Ips = betaIps.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Labels = args.Text("tag") is { } tag ? [tag.Trim()] : [],
                Actor = caller,
                ClientIp = ip,
            }, ctx.RequestAborted);
        }
        else
        {
            await engine.PublishAsync(new PublishRequest
            {
                Key = key,
                Content = content,
                Type = ConfigTypes.TryParse(args.Text("type")) ?? (args.Text("type") is null ? null : ConfigType.Text),
                Description = args["desc"],
                Tags = args["config_tags"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                App = args["appName"],
                IfMd5 = args.Text("casMd5") ?? NullIfBlank(ctx.Request.Headers["casMd5"].ToString()),
                Actor = caller,
                ClientIp = ip,
            }, ctx.RequestAborted);
        }

        await WriteTrueAsync(ctx);
    }, e => NacosJson.WriteErrorAsync(ctx, e));

    private static Task DeleteAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access) => Guarded.RunAsync(ctx, async () =>
    {
        var args = await ConfigArgs.ReadAsync(ctx, 64 * 1024);
        var caller = ConfigAccess.Require(await access.CallerAsync(ctx, args), "delete configs");
        var key = KeyOf(args);
        var ip = access.ClientIp(ctx);
        if (args["beta"] == "true")
        {
            await engine.CancelBetaAsync(key, caller, ip, ctx.RequestAborted);
            await NacosJson.Result("stop beta ok", w => w.WriteBooleanValue(true)).ExecuteAsync(ctx);
            return;
        }

        if (args.Text("tag") is not null)
        {
            await engine.CancelBetaAsync(key, caller, ip, ctx.RequestAborted);
        }
        else
        {
            await engine.RemoveAsync(key, caller, ip, ctx.RequestAborted);
        }

        // Note that Nacos answers true whether or not the config existed.
        await WriteTrueAsync(ctx);
    }, e => NacosJson.WriteErrorAsync(ctx, e));

    public static ConfigKey KeyOf(ConfigArgs args) =>
        ConfigKey.Create(args["dataId"], args.Text("group") ?? ConfigKey.DefaultGroup, Tenants.Normalize(args["tenant"]));

    private static string ContentTypeOf(ConfigType type) => type switch
    {
        ConfigType.Json => "application/json;charset=UTF-8",
        ConfigType.Xml => "application/xml;charset=UTF-8",
        ConfigType.Html => "text/html;charset=UTF-8",
        _ => "text/plain;charset=UTF-8",
    };

    private static Task WriteTrueAsync(HttpContext ctx)
    {
        ctx.Response.ContentType = "application/json;charset=UTF-8";
        return ctx.Response.WriteAsync("true", ctx.RequestAborted);
    }

    private static string? NullIfBlank(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
