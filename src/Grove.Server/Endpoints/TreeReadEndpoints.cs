using Grove.Identity;
using Grove.Server.Internal;
using Grove.Tree;
using Grove.Tree.Query;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Grove.Server.Endpoints;

/// <summary>Reading the tree: stat, by id, list, download, query.</summary>
internal static class TreeReadEndpoints
{
    private const string ContentPolicy = "default-src 'none'; img-src data:; media-src data:; style-src 'unsafe-inline'; sandbox";

    public static void Map(IEndpointRouteBuilder api, GroveServerOptions options)
    {
        var tree = api.MapGroup("").WithTags("tree");

        tree.MapGet("/stat/{**path}", async (string? path, HttpContext ctx, Guard guard) =>
            JsonOut.Object(await guard.RequireAsync(ctx.Caller(), HttpContextExtensions.TreePath(path), Access.Read, ctx.RequestAborted)))
            .WithSummary("An object's metadata by path.");

        tree.MapGet("/ids/{id}", async (string id, HttpContext ctx, TreeService trees, Guard guard) =>
        {
            var o = await trees.GetByIdAsync(id, ctx.RequestAborted);
            return JsonOut.Object(await guard.RequireAsync(ctx.Caller(), o.Path ?? "/", Access.Read, ctx.RequestAborted));
        }).WithSummary("An object's metadata by id (plain or two-part HomeID:ReferID).");

        tree.MapGet("/ls/{**path}", async (string? path, HttpContext ctx, TreeService trees, Guard guard) =>
        {
            var dir = await guard.RequireAsync(ctx.Caller(), HttpContextExtensions.TreePath(path), Access.List, ctx.RequestAborted);
            var limit = QueryArgs.Int(ctx.Request, "limit", 1000, 1, TreeService.MaxPage);
            return JsonOut.Page(await trees.ListAsync(dir.Path ?? "/", QueryArgs.String(ctx.Request, "after"), limit, ctx.RequestAborted));
        }).WithSummary("One keyset page of a directory's children in name order.");

        tree.MapMethods("/files/{**path}", [HttpMethods.Get, HttpMethods.Head], async (string? path, HttpContext ctx, TreeService trees, Guard guard) =>
        {
            var target = HttpContextExtensions.TreePath(path);
            var o = await guard.RequireAsync(ctx.Caller(), target, Access.Read, ctx.RequestAborted);
            if (o.IsDir)
            {
                throw new TreeException(TreeErrorCode.IsADirectory, $"{o.Path} is a directory; list it with /api/v1/ls");
            }

            var file = await trees.OpenFileAsync(o.Path ?? target, ctx.RequestAborted);
            var f = file.Object;
            ctx.Response.Headers.CacheControl = "private, no-cache";
            // Note that content is the users' own: a browser opening it (the console's View link, or the session cookie)
            // must never run it as a page of this origin, where it could act as the signed-in user.
            ctx.Response.Headers.ContentSecurityPolicy = ContentPolicy;
            ctx.Response.Headers.XContentTypeOptions = "nosniff";
            if (QueryArgs.Bool(ctx.Request, "download", false))
            {
                ctx.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = f.Name }.ToString();
            }

            return Results.Stream(file.Content, f.Mime ?? "application/octet-stream",
                lastModified: DateTimeOffset.FromUnixTimeMilliseconds(f.Modified),
                entityTag: f.Sha256 is null ? null : new EntityTagHeaderValue("\"" + f.Sha256 + "\""),
                enableRangeProcessing: true);
        }).WithSummary("A file's content: streamed, with Range, ETag and If-None-Match.");

        tree.MapPost("/query", async (HttpContext ctx, TreeService trees, Guard guard) =>
        {
            using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
            var e = body.RootElement;
            var p = ctx.Caller();
            var parent = JsonBody.String(e, "parent");
            if (parent is not null)
            {
                parent = (await guard.RequireAsync(p, parent, Access.List, ctx.RequestAborted)).Path ?? "/";
            }
            else if (!p.IsAdmin)
            {
                // Note that a whole-tree query is filtered item by item below; it starts from the root's list right.
                await guard.RequireAsync(p, "/", Access.List, ctx.RequestAborted);
            }

            var query = new TreeQuery
            {
                Parent = parent,
                Filter = e.TryGetProperty("where", out var where) && where.ValueKind != System.Text.Json.JsonValueKind.Null ? FilterParser.Parse(where) : null,
                Sort = [.. JsonBody.Strings(e, "sort").Select(SortKey.Parse)],
                Limit = (int)(JsonBody.Long(e, "limit") ?? 1000),
                After = JsonBody.String(e, "after"),
            };
            var page = await trees.QueryAsync(query, ctx.RequestAborted);
            if (!p.IsAdmin)
            {
                var visible = new List<TreeObject>(page.Items.Count);
                foreach (var o in page.Items)
                {
                    if (await guard.CanReadAsync(p, o, ctx.RequestAborted))
                    {
                        visible.Add(o);
                    }
                }

                page = page with { Items = visible };
            }

            return JsonOut.Page(page);
        }).WithSummary("A WnQuery over one directory or the whole tree; results the caller may not read are left out.");
    }
}
