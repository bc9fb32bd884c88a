using System.Globalization;
using Grove.Config;
using Grove.Server.Internal;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Config;

internal static partial class ConfigApiEndpoints
{
    private static void MapHistory(RouteGroupBuilder config)
    {
        config.MapGet(Item + "/history", ListHistoryAsync).WithSummary("A config's history, newest first.");
        config.MapGet(Item + "/history/{id:long}", GetHistoryAsync).WithSummary("One version with its content.");
        config.MapGet(Item + "/diff", DiffAsync).WithSummary("A unified diff between two versions (to: the served one by default).");
        config.MapPost(Item + "/rollback", RollbackAsync).WithSummary("Publish an earlier version again.");
        config.MapGet("/audit", AuditAsync).WithSummary("Who changed what: the history of all configs, newest first.");
    }

    private static async Task<IResult> ListHistoryAsync(string group, string dataId, HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var caller = ConfigAccess.Require(ctx.Caller(), "read history");
        var page = await engine.ListHistoryAsync(KeyOf(ctx, group, dataId), QueryArgs.Int(ctx.Request, "pageNo", 1, 1, 1_000_000),
            QueryArgs.Int(ctx.Request, "pageSize", 50, 1, 1000), caller, ctx.RequestAborted);
        return JsonOut.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("items");
            foreach (var e in page.Items)
            {
                ConfigJson.Entry(w, e);
            }

            w.WriteEndArray();
            w.WriteNumber("total", page.Total);
            w.WriteNumber("pageNo", page.PageNo);
            w.WriteNumber("pageSize", page.PageSize);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> GetHistoryAsync(string group, string dataId, long id, HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var caller = ConfigAccess.Require(ctx.Caller(), "read history");
        var key = KeyOf(ctx, group, dataId);
        var entry = await engine.GetHistoryAsync(id, caller, ctx.RequestAborted);
        return entry is not null && entry.Key == key
            ? JsonOut.Write(w => ConfigJson.Entry(w, entry))
            : throw new ConfigException(ConfigErrorCode.NotFound, $"{key} has no history entry {id}");
    }

    private static async Task<IResult> DiffAsync(string group, string dataId, HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var caller = ConfigAccess.Require(ctx.Caller(), "read history");
        var from = LongArg(ctx, "from") ?? throw new ConfigException(ConfigErrorCode.InvalidArgument, "'from' is required: a history id, or 0 for nothing");
        var diff = await engine.DiffAsync(KeyOf(ctx, group, dataId), from, LongArg(ctx, "to"), caller, ctx.RequestAborted);
        return JsonOut.Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("from", diff.FromId);
            w.WriteNumber("to", diff.ToId);
            w.WriteString("unified", diff.Unified);
            w.WriteNumber("added", diff.Added);
            w.WriteNumber("removed", diff.Removed);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> RollbackAsync(string group, string dataId, HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var caller = ConfigAccess.Require(ctx.Caller(), "roll back configs");
        using var body = await JsonBody.ReadAsync(ctx, 4096);
        var id = JsonBody.Long(body.RootElement, "id") ?? throw new ConfigException(ConfigErrorCode.InvalidArgument, "'id' is required: the history id to publish again");
        var result = await engine.RollbackAsync(KeyOf(ctx, group, dataId), id, caller, access.ClientIp(ctx), ctx.RequestAborted);
        return JsonOut.Write(w => ConfigJson.Item(w, result.Item, content: false, secretsVisible: true));
    }

    private static async Task<IResult> AuditAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access)
    {
        var caller = ConfigAccess.Require(ctx.Caller(), "read the audit log");
        var r = ctx.Request;
        var entries = await engine.ListAuditAsync(new AuditQuery
        {
            Tenant = r.Query.ContainsKey("tenant") ? Tenants.Normalize(r.Query["tenant"]) : null,
            User = QueryArgs.String(r, "user"),
            BeforeId = LongArg(ctx, "before"),
            Limit = QueryArgs.Int(r, "limit", 100, 1, 1000),
        }, caller, ctx.RequestAborted);
        return JsonOut.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("items");
            foreach (var e in entries)
            {
                ConfigJson.Entry(w, e);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static long? LongArg(HttpContext ctx, string name)
    {
        var text = QueryArgs.String(ctx.Request, name);
        return text is null ? null
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw new ConfigException(ConfigErrorCode.InvalidArgument, $"'{name}' must be a whole number, not '{ConfigArgs.Shorten(text)}'");
    }
}
