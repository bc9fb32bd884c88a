using System.Text.Json;
using Grove.Config;
using Grove.Server.Internal;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Config;

/// <summary>
/// Grove's own config API under <c>/api/v1/config</c> (the console's and the .NET client's): list and search, get,
/// publish (validated; <c>If-Match</c> by MD5), delete, validate and preview. Errors are problem+json with the
/// engine's stable codes (<c>too_large</c> carries <c>limit</c>, <c>invalid_format</c> <c>line</c> and <c>column</c>).
/// </summary>
internal static partial class ConfigApiEndpoints
{
    private const string Item = "/items/{group}/{dataId}";

    public static void Map(RouteGroupBuilder api)
    {
        var config = api.MapGroup("/config").WithTags("config");
        config.MapGet("/", List).WithSummary("List and search configs (from memory).");
        config.MapGet(Item, Get).WithSummary("One config with its content.");
        config.MapPut(Item, PublishAsync).WithSummary("Publish a config (create or update).");
        config.MapDelete(Item, DeleteAsync).WithSummary("Delete a config.");
        config.MapPost(Item + "/preview", PreviewAsync).WithSummary("Validate a draft and diff it against the served content.");
        config.MapPost("/validate", ValidateAsync).WithSummary("Check that content parses as its type.");
        MapHistory(config);
        MapBeta(config);
        MapTransfer(config);
    }

    private static IResult List(HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var r = ctx.Request;
        var caller = ctx.Caller();
        var match = QueryArgs.String(r, "match") switch
        {
            null or "contains" => ConfigMatch.Contains,
            "exact" => ConfigMatch.Exact,
            "wildcard" => ConfigMatch.Wildcard,
            var other => throw new ConfigException(ConfigErrorCode.InvalidArgument, $"match is contains, exact or wildcard, not '{ConfigArgs.Shorten(other)}'"),
        };
        var page = engine.List(new ConfigQuery
        {
            Tenant = r.Query.ContainsKey("tenant") ? Tenants.Normalize(r.Query["tenant"]) : null,
            DataId = QueryArgs.String(r, "dataId"),
            Group = QueryArgs.String(r, "group"),
            App = QueryArgs.String(r, "app"),
            Tags = QueryArgs.String(r, "tags")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ContentContains = QueryArgs.String(r, "content"),
            Match = match,
            PageNo = QueryArgs.Int(r, "pageNo", 1, 1, 1_000_000),
            PageSize = QueryArgs.Int(r, "pageSize", 50, 1, 1000),
        });
        var secrets = access.CanReadSecrets(caller);
        var withContent = QueryArgs.Bool(r, "withContent", false);
        return JsonOut.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("items");
            foreach (var item in page.Items)
            {
                ConfigJson.Item(w, item, withContent, secrets);
            }

            w.WriteEndArray();
            w.WriteNumber("total", page.Total);
            w.WriteNumber("pageNo", page.PageNo);
            w.WriteNumber("pageSize", page.PageSize);
            w.WriteNumber("pages", page.Pages);
            w.WriteEndObject();
        });
    }

    private static IResult Get(string group, string dataId, HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var key = KeyOf(ctx, group, dataId);
        var item = engine.Get(key, access.Client(ctx)) ?? throw new ConfigException(ConfigErrorCode.NotFound, $"no config {key}");
        access.DemandSecretRead(ctx.Caller(), item);
        ctx.Response.Headers.ETag = "\"" + item.Md5 + "\"";
        ctx.Response.Headers.CacheControl = "no-store";
        return JsonOut.Write(w => ConfigJson.Item(w, item, content: true, secretsVisible: true));
    }

    private static async Task<IResult> PublishAsync(string group, string dataId, HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var caller = ConfigAccess.Require(ctx.Caller(), "publish configs");
        var key = KeyOf(ctx, group, dataId);
        using var body = await JsonBody.ReadAsync(ctx, BodyLimit(access));
        var e = body.RootElement;
        var ifMatch = ctx.Request.Headers.IfMatch.ToString().Trim();
        var mode = JsonBody.String(e, "mode") switch
        {
            null or "upsert" => PublishMode.Upsert,
            "create" => PublishMode.CreateOnly,
            "update" => PublishMode.UpdateOnly,
            var other => throw new ConfigException(ConfigErrorCode.InvalidArgument, $"mode is upsert, create or update, not '{ConfigArgs.Shorten(other)}'"),
        };
        if (ctx.Request.Headers.IfNoneMatch.ToString().Trim() == "*")
        {
            mode = PublishMode.CreateOnly;
        }

        var result = await engine.PublishAsync(new PublishRequest
        {
            Key = key,
            Content = JsonBody.String(e, "content") ?? throw new ConfigException(ConfigErrorCode.InvalidArgument, "'content' is required"),
            Type = JsonBody.String(e, "type") is { } type ? ConfigTypes.Parse(type) : null,
            Description = JsonBody.String(e, "desc"),
            Tags = e.TryGetProperty("tags", out _) ? JsonBody.Strings(e, "tags") : null,
            App = JsonBody.String(e, "app"),
            Secret = e.TryGetProperty("secret", out var s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False ? s.GetBoolean() : null,
            Mode = mode,
            IfMd5 = ifMatch.Length == 0 || ifMatch == "*" ? null : ifMatch.Trim('"'),
            Actor = caller,
            ClientIp = access.ClientIp(ctx),
        }, ctx.RequestAborted);
        ctx.Response.Headers.ETag = "\"" + result.Item.Md5 + "\"";
        return JsonOut.Write(w => ConfigJson.Item(w, result.Item, content: false, secretsVisible: true), result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> DeleteAsync(string group, string dataId, HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var caller = ConfigAccess.Require(ctx.Caller(), "delete configs");
        var key = KeyOf(ctx, group, dataId);
        return await engine.RemoveAsync(key, caller, access.ClientIp(ctx), ctx.RequestAborted)
            ? Results.NoContent()
            : throw new ConfigException(ConfigErrorCode.NotFound, $"no config {key}");
    }

    private static async Task<IResult> PreviewAsync(string group, string dataId, HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var key = KeyOf(ctx, group, dataId);
        using var body = await JsonBody.ReadAsync(ctx, BodyLimit(access));
        var e = body.RootElement;
        var content = JsonBody.String(e, "content") ?? throw new ConfigException(ConfigErrorCode.InvalidArgument, "'content' is required");
        if (engine.Get(key) is { } current)
        {
            access.DemandSecretRead(ctx.Caller(), current);
        }

        var type = JsonBody.String(e, "type") is { } t ? ConfigTypes.Parse(t) : engine.Get(key)?.Type ?? ConfigTypes.FromDataId(key.DataId);
        var error = Validate(type, content);
        var diff = engine.PreviewDiff(key, content);
        return JsonOut.Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("fromRevision", diff.FromId);
            w.WriteString("unified", diff.Unified);
            w.WriteNumber("added", diff.Added);
            w.WriteNumber("removed", diff.Removed);
            w.WriteString("type", ConfigTypes.Name(type));
            WriteValidity(w, error);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> ValidateAsync(HttpContext ctx, ConfigAccess access)
    {
        using var body = await JsonBody.ReadAsync(ctx, BodyLimit(access));
        var e = body.RootElement;
        var type = ConfigTypes.Parse(JsonBody.String(e, "type"));
        var error = Validate(type, JsonBody.String(e, "content") ?? "");
        return JsonOut.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", ConfigTypes.Name(type));
            WriteValidity(w, error);
            w.WriteEndObject();
        });
    }

    private static ConfigException? Validate(ConfigType type, string content)
    {
        try
        {
            ConfigFormats.Validate(type, content);
            return null;
        }
        catch (ConfigException e) when (e.Code == ConfigErrorCode.InvalidFormat)
        {
            return e;
        }
    }

    private static void WriteValidity(Utf8JsonWriter w, ConfigException? error)
    {
        w.WriteBoolean("valid", error is null);
        if (error is null)
        {
            return;
        }

        w.WriteStartObject("error");
        w.WriteString("message", error.Message);
        if (error.Line is { } line)
        {
            w.WriteNumber("line", line);
        }

        if (error.Column is { } column)
        {
            w.WriteNumber("column", column);
        }

        w.WriteEndObject();
    }

    /// <summary>JSON escapes can take six bytes per character.</summary>
    private static int BodyLimit(ConfigAccess access) => (int)Math.Min(int.MaxValue, (access.Options.MaxContentBytes * 6L) + (64 * 1024));

    private static ConfigKey KeyOf(HttpContext ctx, string group, string dataId) =>
        ConfigKey.Create(dataId, group, Tenants.Normalize(ctx.Request.Query["tenant"]));
}
