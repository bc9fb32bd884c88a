using Grove.Identity;
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

        admin.MapPut("/mounts/{**path}", async (string? path, HttpContext ctx, GuardedTree trees) =>
        {
            TreeAccess.DemandAdmin(ctx.Caller(), "mount");
            using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
            var expression = JsonBody.RequiredString(body.RootElement, "mount");
            return JsonOut.Object(await trees.MountAsync(ctx.Caller(), HttpContextExtensions.TreePath(path), expression, ctx.RequestAborted));
        }).WithSummary("Mount an index or storage on an empty directory (mem, lbm(Name), mem://lbm(Name), file:///abs, pgbm(Name)).");

        admin.MapDelete("/mounts/{**path}", async (string? path, HttpContext ctx, GuardedTree trees) =>
            JsonOut.Object(await trees.UnmountAsync(ctx.Caller(), HttpContextExtensions.TreePath(path), ctx.RequestAborted))
            ).WithSummary("Remove a directory's mount.");

        admin.MapPost("/admin/fsck", async (HttpContext ctx, GuardedTree trees) =>
        {
            var report = await trees.FsckAsync(ctx.Caller(), QueryArgs.Bool(ctx.Request, "repair", false), !QueryArgs.Bool(ctx.Request, "keepOrphans", false), ctx.RequestAborted);
            return JsonOut.Value(report);
        }).WithSummary("Check content against metadata; repair=true fixes reference counts.");

        admin.MapGet("/admin/storage", (HttpContext ctx, TreeService trees) =>
        {
            TreeAccess.DemandAdmin(ctx.Caller(), "read the storage figures");
            return JsonOut.Value(trees.ReclaimStats);
        }).WithSummary("The background reclaim: bytes of unreferenced content waiting for the grace period, bytes reclaimed, the last pass.");

        admin.MapPost("/admin/reclaim", async (HttpContext ctx, TreeService trees) =>
        {
            TreeAccess.DemandAdmin(ctx.Caller(), "reclaim content");
            var ran = await trees.ReclaimAsync(ctx.RequestAborted);
            return JsonOut.Value(new { ran, stats = trees.ReclaimStats });
        }).WithSummary("Run a reclaim pass now (false when another node is running one).");

        admin.MapGet("/admin/memory", (HttpContext ctx, IdleTrimmer trimmer) =>
        {
            TreeAccess.DemandAdmin(ctx.Caller(), "read the memory figures");
            return JsonOut.Value(MemoryFigures.Now(trimmer.Figures()));
        }).WithSummary("The process's memory: resident set, managed heap (per generation, after the last GC), committed, fragmentation, GC mode and counts, and the idle trims (how many, the last one's before and after).");

        admin.MapPost("/admin/sweep", async (HttpContext ctx, GuardedTree trees) =>
            JsonOut.Value(new { removed = await trees.SweepExpiredAsync(ctx.Caller(), ctx.RequestAborted) })).WithSummary("Remove objects past their expiry.");
    }
}
