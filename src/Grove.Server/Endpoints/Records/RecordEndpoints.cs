using Grove.Identity;
using Grove.Records;
using Grove.Server.Internal;
using Grove.Tree;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Records;

/// <summary>The record-set routes under <c>/api/v1/records</c> (docs/records.md).</summary>
internal static class RecordEndpoints
{
    /// <summary>Opens the engine over the server's tree and makes sure <c>/records</c> exists (owned by nobody, 0755: only admins define until chmod).</summary>
    public static async Task<RecordService> OpenAsync(TreeService tree, GroveServerOptions options, CancellationToken ct)
    {
        var records = await RecordService.OpenAsync(tree, options.Records, ct);
        try
        {
            await tree.CreateAsync(RecordAccess.Root, ObjectRace.Dir, new CreateOptions { Parents = true, ExistOk = true }, ct);
            return records;
        }
        catch
        {
            await records.DisposeAsync();
            throw;
        }
    }

    public static void Map(IEndpointRouteBuilder api, GroveServerOptions options, Func<RecordService> records)
    {
        var group = api.MapGroup("/records").WithTags("records");
        group.MapGet("", async (HttpContext ctx, RecordService records, TreeService tree, TreeAccess guard) =>
        {
            var p = ctx.Caller();
            var names = new List<string>();
            foreach (var name in await records.ListSetsAsync(ctx.RequestAborted))
            {
                if (await RecordAccess.CanReadAsync(p, tree, guard, name, ctx.RequestAborted))
                {
                    names.Add(name);
                }
            }

            return JsonOut.Value(new { items = names });
        }).WithSummary("The record sets the caller may read.");

        group.MapPut("/{set}", async (string set, HttpContext ctx, RecordService records, TreeService tree, TreeAccess guard) =>
        {
            var created = await RecordAccess.RequireDefineAsync(ctx, tree, guard, set);
            using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
            var info = await records.DefineAsync(set, RecordMapping.Parse(body.RootElement.GetRawText()), ctx.RequestAborted);
            if (created)
            {
                await RecordAccess.CreateAsync(ctx, tree, set);
            }

            return JsonOut.Write(w => RecordJson.WriteInfo(w, info), created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }).WithSummary("Define a record set from a seed 003 mapping (+ history); a changed mapping adds fields and indexes, a destructive change is 409.");

        group.MapGet("/{set}", async (string set, HttpContext ctx, RecordService records, TreeAccess guard) =>
        {
            await RecordAccess.RequireAsync(ctx, guard, set, Access.Read);
            var info = await records.GetSetAsync(set, ctx.RequestAborted);
            return JsonOut.Write(w => RecordJson.WriteInfo(w, info));
        }).WithSummary("A record set's mapping, revision and tables.");

        group.MapGet("/{set}/stats", async (string set, HttpContext ctx, RecordService records, TreeAccess guard) =>
        {
            await RecordAccess.RequireAsync(ctx, guard, set, Access.Read);
            return JsonOut.Value(await records.StatsAsync(set, ctx.RequestAborted));
        }).WithSummary("Each table with its rows, the hot cache's hit rate, the last rotation.");

        group.MapPost("/{set}/rotate", async (string set, HttpContext ctx, RecordService records, TreeAccess guard) =>
        {
            await RecordAccess.RequireAsync(ctx, guard, set, Access.Write);
            return JsonOut.Value(await records.RotateAsync(set, ctx.RequestAborted));
        }).WithSummary("Move rows beyond mainRows into history tables now (one rotator across nodes).");

        group.MapPost("/{set}/find", async (string set, HttpContext ctx, RecordService records, TreeAccess guard) =>
        {
            await RecordAccess.RequireAsync(ctx, guard, set, Access.Read);
            using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
            var page = await records.FindAsync(set, RecordJson.Query(body.RootElement), ctx.RequestAborted);
            return JsonOut.Write(w => RecordJson.WritePage(w, page));
        }).WithSummary("{where, sort, fields, history (0|N|\"all\"), limit, after | page, count} → {items, next, total}, one global order across main and history tables.");

        RecordRowEndpoints.Map(group, options, records);
    }
}
