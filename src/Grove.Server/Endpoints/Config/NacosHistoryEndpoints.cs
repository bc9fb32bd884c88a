using Grove.Config;
using Grove.Server.Internal;
using Grove.Server.Internal.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Config;

/// <summary>
/// Nacos's <c>/nacos/v1/cs/history</c>: <c>search=accurate</c> lists a config's history (pageNo, pageSize; newest
/// first, without content), <c>nid=…</c> is one version with its content, <c>/previous?id=…</c> the version before
/// one. History is for admins and the editor group.
/// </summary>
internal static class NacosHistoryEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var history = app.MapGroup(NacosConfigEndpoints.Root + "/cs/history").WithTags("nacos").DisableRateLimiting();
        history.MapGet("/", GetAsync);
        history.MapGet("/previous", PreviousAsync);
    }

    private static Task GetAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access) => Guarded.RunAsync(ctx, async () =>
    {
        var args = ConfigArgs.Query(ctx);
        var caller = ConfigAccess.Require(await access.CallerAsync(ctx, args), "read history");
        if (args.Text("nid") is { } nidText)
        {
            var nid = Id(nidText, "nid");
            var entry = await engine.GetHistoryAsync(nid, caller, ctx.RequestAborted);
            if (entry is null || (args.Text("dataId") is not null && entry.Key != NacosConfigEndpoints.KeyOf(args)))
            {
                throw new ConfigException(ConfigErrorCode.NotFound, $"no history entry {nid}{(args.Text("dataId") is null ? "" : " of " + NacosConfigEndpoints.KeyOf(args))}");
            }

            await JsonOut.Write(w => NacosJson.History(w, entry, NacosJson.OpType(entry.Op, first: false))).ExecuteAsync(ctx);
            return;
        }

        var key = NacosConfigEndpoints.KeyOf(args);
        var pageNo = args.Int("pageNo", 1, 1, 1_000_000);
        var pageSize = Math.Min(args.Int("pageSize", 100, 1, 1000), 500);
        var page = await engine.ListHistoryAsync(key, pageNo, pageSize, caller, ctx.RequestAborted);
        var pages = (page.Total + pageSize - 1) / pageSize;
        await JsonOut.Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("totalCount", page.Total);
            w.WriteNumber("pageNumber", pageNo);
            w.WriteNumber("pagesAvailable", pages);
            w.WriteStartArray("pageItems");
            for (var i = 0; i < page.Items.Count; i++)
            {
                var e = page.Items[i];
                var oldest = pageNo == pages && i == page.Items.Count - 1;
                NacosJson.History(w, e, NacosJson.OpType(e.Op, oldest));
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ExecuteAsync(ctx);
    }, e => NacosJson.WriteErrorAsync(ctx, e));

    private static Task PreviousAsync(HttpContext ctx, ConfigEngine engine, ConfigAccess access) => Guarded.RunAsync(ctx, async () =>
    {
        var args = ConfigArgs.Query(ctx);
        var caller = ConfigAccess.Require(await access.CallerAsync(ctx, args), "read history");
        var id = Id(args.Text("id") ?? throw new ConfigException(ConfigErrorCode.InvalidArgument, "id is required"), "id");
        var key = NacosConfigEndpoints.KeyOf(args);
        var entry = await engine.GetPreviousAsync(key, id, caller, ctx.RequestAborted)
            ?? throw new ConfigException(ConfigErrorCode.NotFound, $"{key} has no version before {id}");
        await JsonOut.Write(w => NacosJson.History(w, entry, NacosJson.OpType(entry.Op, first: false))).ExecuteAsync(ctx);
    }, e => NacosJson.WriteErrorAsync(ctx, e));

    private static long Id(string text, string name) =>
        long.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ConfigException(ConfigErrorCode.InvalidArgument, $"{name} '{ConfigArgs.Shorten(text)}' is not a number");
}
