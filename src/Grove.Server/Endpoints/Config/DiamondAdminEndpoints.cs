using System.Text;
using Grove.Config;
using Grove.Identity;
using Grove.Server.Internal;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Config;

/// <summary>
/// <c>/diamond-server/admin.do?method=…</c>, the seed's admin controller, answering JSON (the <c>list_json</c> page's
/// shape for lists). Every method needs a signed-in admin or member of the editor group (the <c>login.do</c> cookie
/// or a bearer token); the user methods need an admin. Both GET and POST are taken for every method.
/// </summary>
internal static partial class DiamondAdminEndpoints
{
    private const int DefaultPageSize = 20;

    private static readonly string[] Methods =
    [
        "postConfig", "updateConfig", "deleteConfig", "upload", "reupload", "listConfig", "listConfigLike", "detailConfig",
        "batchQuery", "batchAddOrUpdate", "listUser", "addUser", "deleteUser", "changePassword", "reloadUser",
        "setRefuseRequestCount", "getRefuseRequestCount",
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        var diamond = app.MapGroup(DiamondConfigEndpoints.Root).WithTags("diamond").DisableRateLimiting();
        diamond.MapMethods("/admin.do", ["GET", "POST"], AdminAsync);
    }

    private sealed record Call(HttpContext Ctx, ConfigArgs Args, Principal Caller, string? Ip, ConfigEngine Engine, ConfigAccess Access, IdentityService Identity);

    private static Task AdminAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access, IdentityService identity) => Guarded.RunAsync(ctx, async () =>
    {
        DiamondLoginEndpoints.RefuseCrossSite(ctx);
        var args = await ConfigArgs.ReadAsync(ctx, FormLimit(access));
        var method = args["method"] ?? "";
        if (!Methods.Contains(method, StringComparer.Ordinal))
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, $"unknown method '{ConfigArgs.Shorten(method)}'; admin.do takes method={string.Join('|', Methods)}");
        }

        var caller = access.DemandEditor(await access.CallerAsync(ctx, args, cookie: true), "use admin.do");
        var call = new Call(ctx, args, caller, access.ClientIp(ctx), engine, access, identity);
        var result = method switch
        {
            "postConfig" => await PublishAsync(call, args["content"], PublishMode.CreateOnly),
            "updateConfig" => await PublishAsync(call, args["content"], PublishMode.UpdateOnly),
            "upload" => await PublishAsync(call, await FileTextAsync(call), PublishMode.CreateOnly),
            "reupload" => await PublishAsync(call, await FileTextAsync(call), PublishMode.UpdateOnly),
            "deleteConfig" => await DeleteAsync(call),
            "listConfig" => List(call, ConfigMatch.Exact),
            "listConfigLike" => List(call, ConfigMatch.Contains),
            "detailConfig" => Detail(call),
            "batchQuery" => BatchQuery(call),
            "batchAddOrUpdate" => await BatchAddOrUpdateAsync(call),
            _ => await UserMethodAsync(call, method),
        };
        await result.ExecuteAsync(ctx);
    }, e => WriteErrorAsync(ctx, e));

    /// <summary>Forms carry content URL-encoded (up to three bytes per byte) or as an uploaded file.</summary>
    private static long FormLimit(ConfigAccess access) => (access.Options.MaxContentBytes * 3L) + (64 * 1024);

    private static async Task<IResult> PublishAsync(Call c, string? content, PublishMode mode)
    {
        var key = KeyOf(c.Args);
        if (string.IsNullOrWhiteSpace(content))
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, "content is required (Diamond refuses blank content)");
        }

        var result = await c.Engine.PublishAsync(new PublishRequest { Key = key, Content = content, Mode = mode, Actor = c.Caller, ClientIp = c.Ip }, c.Ctx.RequestAborted);
        var page = c.Engine.List(new ConfigQuery { Tenant = key.Tenant, DataId = key.DataId, Group = key.Group, PageSize = DefaultPageSize });
        return JsonOut.Write(w => DiamondJson.Page(w, page, _ => true, result.Created ? $"created {key}" : $"updated {key}"));
    }

    private static async Task<string> FileTextAsync(Call c)
    {
        var file = c.Args.File("contentFile") ?? throw new ConfigException(ConfigErrorCode.InvalidArgument, "upload a file as the multipart field 'contentFile'");
        var limit = c.Access.Options.MaxContentBytes;
        if (file.Length > limit)
        {
            throw new ConfigException(ConfigErrorCode.TooLarge, $"the file is {file.Length} bytes; the limit is {limit} bytes ({limit / 1024.0:0.#} KiB)") { Limit = limit };
        }

        await using var stream = file.OpenReadStream();
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, c.Ctx.RequestAborted);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw new ConfigException(ConfigErrorCode.InvalidArgument, $"the file '{file.FileName}' is not UTF-8 text");
        }
    }

    private static async Task<IResult> DeleteAsync(Call c)
    {
        ConfigKey key;
        if (c.Args.Text("id") is { } idText)
        {
            if (!long.TryParse(idText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                throw new ConfigException(ConfigErrorCode.InvalidArgument, $"id '{ConfigArgs.Shorten(idText)}' is not a number");
            }

            var found = AllPages(c.Engine, Tenants.Normalize(c.Args["tenant"])).FirstOrDefault(i => i.Revision == id)
                ?? throw new ConfigException(ConfigErrorCode.NotFound, $"no config has id {id} (an id is the revision of the config's current version; list again)");
            key = found.Key;
        }
        else
        {
            key = KeyOf(c.Args);
        }

        if (!await c.Engine.RemoveAsync(key, c.Caller, c.Ip, c.Ctx.RequestAborted))
        {
            throw new ConfigException(ConfigErrorCode.NotFound, $"no config {key}");
        }

        return JsonOut.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("message", $"deleted {key}");
            w.WriteString("dataId", key.DataId);
            w.WriteString("group", key.Group);
            w.WriteEndObject();
        });
    }

    private static IEnumerable<ConfigItem> AllPages(ConfigEngine engine, string tenant)
    {
        for (var page = 1; ; page++)
        {
            var p = engine.List(new ConfigQuery { Tenant = tenant, PageNo = page, PageSize = 1000 });
            foreach (var i in p.Items)
            {
                yield return i;
            }

            if (page >= p.Pages)
            {
                yield break;
            }
        }
    }

    private static IResult List(Call c, ConfigMatch match)
    {
        var dataId = c.Args.Text("dataId");
        var group = c.Args.Text("group");
        foreach (var part in new[] { dataId, group })
        {
            if (part is not null && match == ConfigMatch.Exact && !ConfigKey.IsValidPart(part))
            {
                throw new ConfigException(ConfigErrorCode.InvalidArgument, ConfigKey.Validate(dataId ?? "x", group ?? "x") ?? "bad dataId or group");
            }
        }

        var page = c.Engine.List(new ConfigQuery
        {
            Tenant = Tenants.Normalize(c.Args["tenant"]),
            DataId = dataId,
            Group = group,
            Match = match,
            PageNo = c.Args.Int("pageNo", 1, 1, 1_000_000),
            PageSize = c.Args.Int("pageSize", DefaultPageSize, 1, 1000),
        });
        return JsonOut.Write(w => DiamondJson.Page(w, page, i => c.Access.CanReadSecrets(c.Caller) || !i.Secret));
    }

    private static IResult Detail(Call c)
    {
        var key = KeyOf(c.Args);
        var item = c.Engine.Get(key) ?? throw new ConfigException(ConfigErrorCode.NotFound, $"no config {key}");
        c.Access.DemandSecretRead(c.Caller, item);
        return JsonOut.Write(w => DiamondJson.Info(w, item, content: true));
    }

    private static ConfigKey KeyOf(ConfigArgs args) =>
        ConfigKey.Create(args["dataId"]?.Trim(), args["group"]?.Trim() is { Length: > 0 } g ? g : ConfigKey.DefaultGroup, Tenants.Normalize(args["tenant"]));

    private static async Task WriteErrorAsync(HttpContext ctx, ConfigError e)
    {
        if (ctx.Response.HasStarted)
        {
            ctx.Abort();
            return;
        }

        e.Start(ctx.Response, "application/json; charset=utf-8");
        await JsonOut.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("code", e.Code);
            w.WriteString("message", e.Message);
            if (e.Limit is { } limit)
            {
                w.WriteNumber("limit", limit);
            }

            w.WriteEndObject();
        }, e.Status).ExecuteAsync(ctx);
    }
}
