using Grove.Server.Internal;
using Grove.Tree;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints;

/// <summary>Admin-only operations: mounts, fsck, the expiry sweep.</summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder api, GroveServerOptions options)
    {
        var admin = api.MapGroup("").WithTags("admin");

        admin.MapPut("/mounts/{**path}", async (string? path, HttpContext ctx, TreeService trees) =>
        {
            Guard.DemandAdmin(ctx.Caller(), "mount");
            using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
            var expression = JsonBody.RequiredString(body.RootElement, "mount");
            return JsonOut.Object(await trees.MountAsync(HttpContextExtensions.TreePath(path), expression, ctx.RequestAborted));
        }).WithSummary("Mount an index or storage on an empty directory (mem, lbm(Name), mem://lbm(Name), file:///abs, pgbm(Name)).");

        admin.MapDelete("/mounts/{**path}", async (string? path, HttpContext ctx, TreeService trees) =>
        {
            Guard.DemandAdmin(ctx.Caller(), "unmount");
            return JsonOut.Object(await trees.UnmountAsync(HttpContextExtensions.TreePath(path), ctx.RequestAborted));
        }).WithSummary("Remove a directory's mount.");

        admin.MapPost("/admin/fsck", async (HttpContext ctx, TreeService trees) =>
        {
            Guard.DemandAdmin(ctx.Caller(), "run fsck");
            var report = await trees.FsckAsync(QueryArgs.Bool(ctx.Request, "repair", false), !QueryArgs.Bool(ctx.Request, "keepOrphans", false), ctx.RequestAborted);
            return JsonOut.Value(report);
        }).WithSummary("Check content against metadata; repair=true fixes reference counts.");

        admin.MapPost("/admin/sweep", async (HttpContext ctx, TreeService trees) =>
        {
            Guard.DemandAdmin(ctx.Caller(), "sweep");
            return JsonOut.Value(new { removed = await trees.SweepExpiredAsync(ctx.RequestAborted) });
        }).WithSummary("Remove objects past their expiry.");
    }
}
