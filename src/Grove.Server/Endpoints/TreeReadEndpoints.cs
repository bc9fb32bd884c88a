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

        tree.MapGet("/stat/{**path}", async (string? path, HttpContext ctx, GuardedTree trees) =>
            JsonOut.Object(await trees.StatAsync(ctx.Caller(), HttpContextExtensions.TreePath(path), ctx.RequestAborted)))
            .WithSummary("An object's metadata by path.");

        tree.MapGet("/ids/{id}", async (string id, HttpContext ctx, GuardedTree trees) =>
            JsonOut.Object(await trees.GetByIdAsync(ctx.Caller(), id, ctx.RequestAborted)))
            .WithSummary("An object's metadata by id (plain or two-part HomeID:ReferID).");

        tree.MapGet("/ls/{**path}", async (string? path, HttpContext ctx, GuardedTree trees) =>
        {
            var limit = QueryArgs.Int(ctx.Request, "limit", 1000, 1, TreeService.MaxPage);
            return JsonOut.Listing(await trees.ListAsync(ctx.Caller(), HttpContextExtensions.TreePath(path), QueryArgs.String(ctx.Request, "after"), limit, ctx.RequestAborted));
        }).WithSummary("One keyset page of a directory's children in name order; what the caller may not read shows as its name and kind only.");

        tree.MapMethods("/files/{**path}", [HttpMethods.Get, HttpMethods.Head], async (string? path, HttpContext ctx, GuardedTree trees) =>
        {
            var file = await trees.OpenFileAsync(ctx.Caller(), HttpContextExtensions.TreePath(path), ctx.RequestAborted);
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

            if (ctx.Request.Headers.Range.ToString() is { Length: > 0 } range && !range.TrimStart().StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
            {
                // Note that RFC 9110 (14.2) has a server ignore a Range in a unit it does not know: the whole content.
                ctx.Request.Headers.Remove("Range");
            }

            return Results.Stream(file.Content, f.Mime ?? "application/octet-stream",
                lastModified: DateTimeOffset.FromUnixTimeMilliseconds(f.Modified),
                entityTag: f.Sha256 is null ? null : new EntityTagHeaderValue("\"" + f.Sha256 + "\""),
                enableRangeProcessing: true);
        }).WithSummary("A file's content: streamed, with Range, ETag and If-None-Match.");

        tree.MapPost("/query", async (HttpContext ctx, GuardedTree trees) =>
        {
            JsonBody.RequireJsonType(ctx);
            using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
            var e = body.RootElement;
            JsonBody.RequireKnownKeys(e, "parent", "where", "sort", "limit", "after");
            var query = new TreeQuery
            {
                Parent = JsonBody.String(e, "parent"),
                Filter = e.TryGetProperty("where", out var where) && where.ValueKind != System.Text.Json.JsonValueKind.Null ? FilterParser.Parse(where) : null,
                Sort = [.. JsonBody.Strings(e, "sort").Select(SortKey.Parse)],
                Limit = (int)(JsonBody.Long(e, "limit") ?? 1000),
                After = JsonBody.String(e, "after"),
            };
            return JsonOut.Page(await trees.QueryAsync(ctx.Caller(), query, ctx.RequestAborted));
        }).WithSummary("A WnQuery over one directory or the whole tree; results the caller may not read are left out.");
    }
}
