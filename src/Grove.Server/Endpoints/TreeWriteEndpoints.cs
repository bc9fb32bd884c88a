using System.Text.Json;
using Grove.Identity;
using Grove.Server.Internal;
using Grove.Tree;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints;

/// <summary>Changing the tree: mkdir, upload, metadata, move, delete.</summary>
internal static class TreeWriteEndpoints
{
    public static void Map(IEndpointRouteBuilder api, GroveServerOptions options)
    {
        var tree = api.MapGroup("").WithTags("tree");

        tree.MapPost("/dirs/{**path}", async (string? path, HttpContext ctx, GuardedTree trees) =>
        {
            var (dir, created) = await trees.MkdirAsync(ctx.Caller(), HttpContextExtensions.TreePath(path), QueryArgs.Bool(ctx.Request, "parents", true), ctx.RequestAborted);
            return JsonOut.Object(dir, created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }).WithSummary("Create a directory (and missing parents unless parents=false).");

        tree.MapPut("/files/{**path}", async (string? path, HttpContext ctx, GuardedTree trees) =>
        {
            var p = ctx.Caller();
            var target = HttpContextExtensions.TreePath(path);
            if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                // Note that the limit is kept by UploadLimitStream, which answers 413 cleanly even mid-body.
                size.MaxRequestBodySize = ctx.Request.ContentLength is null ? null : options.MaxUploadBytes;
            }

            if (ctx.Request.ContentLength > options.MaxUploadBytes)
            {
                throw new ServerException(ErrorMap.TooLarge, $"the upload has {ctx.Request.ContentLength} bytes; the limit is {options.MaxUploadBytes}");
            }

            var existing = await trees.CheckWriteAsync(p, target, ctx.RequestAborted);

            // Note that without If-Match the upload still must not overwrite an upload that finished while this one
            // streamed: it is compared with the content seen when it started, so of two overlapping writers one wins
            // and the other gets 409 instead of silently losing its update.
            // "If-Match: *" opts out: last writer wins.
            var ifMatch = IfMatch(ctx.Request);
            var createOnly = IfNoneMatchAny(ctx.Request);
            if (createOnly && existing is not null)
            {
                throw new TreeException(TreeErrorCode.AlreadyExists, $"{target} exists (If-None-Match: * creates only)");
            }

            var expected = ifMatch == "*" ? null : ifMatch ?? existing?.Sha256 ?? EmptySha256;
            var body = ctx.Request.ContentLength is null ? new UploadLimitStream(ctx.Request.Body, options.MaxUploadBytes) : ctx.Request.Body;
            var written = await trees.Tree.WriteAsync(target, body, new PutOptions
            {
                User = p.User,
                Mime = MimeOf(ctx.Request.ContentType),
                Parents = QueryArgs.Bool(ctx.Request, "parents", true),
                IfSha256 = expected,
                CreateOnly = createOnly,
            }, ctx.RequestAborted);
            ctx.Response.Headers.ETag = "\"" + written.Sha256 + "\"";
            return JsonOut.Object(written, existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }).WithSummary("Upload a file's content (streamed, any size); If-Match: \"sha256\" for compare-and-swap, If-None-Match: * to create only.");

        tree.MapPatch("/meta/{**path}", async (string? path, HttpContext ctx, GuardedTree trees) =>
        {
            using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
            var e = body.RootElement;
            var set = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (e.TryGetProperty("set", out var s) && s.ValueKind != JsonValueKind.Null)
            {
                if (s.ValueKind != JsonValueKind.Object)
                {
                    throw ServerException.Bad("'set' must be an object of key → value");
                }

                foreach (var kv in s.EnumerateObject())
                {
                    set[kv.Name] = kv.Value.Clone();
                }
            }

            var unset = JsonBody.Strings(e, "unset");
            return JsonOut.Object(await trees.SetMetaAsync(ctx.Caller(), HttpContextExtensions.TreePath(path), set, unset, ctx.RequestAborted));
        }).WithSummary("Set and unset metadata keys.");

        tree.MapPost("/move", async (HttpContext ctx, GuardedTree trees) =>
        {
            using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
            var from = JsonBody.RequiredString(body.RootElement, "from");
            var to = JsonBody.RequiredString(body.RootElement, "to");
            return JsonOut.Object(await trees.MoveAsync(ctx.Caller(), from, to, ctx.RequestAborted));
        }).WithSummary("Move or rename an object (a directory moves with its subtree).");

        tree.MapDelete("/objects/{**path}", async (string? path, HttpContext ctx, GuardedTree trees) =>
        {
            await trees.DeleteAsync(ctx.Caller(), HttpContextExtensions.TreePath(path), QueryArgs.Bool(ctx.Request, "recursive", false), ctx.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Delete an object; a directory with children needs recursive=true.");
    }

    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static string? IfMatch(HttpRequest r)
    {
        var text = r.Headers.IfMatch.ToString().Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (text == "*")
        {
            return text;
        }

        if (text.StartsWith("W/", StringComparison.Ordinal) || text.Length != 66 || text[0] != '"' || text[^1] != '"')
        {
            throw ServerException.Bad("If-Match must be * or one strong entity tag: \"<sha256 of the current content>\"");
        }

        return text[1..^1];
    }

    private static bool IfNoneMatchAny(HttpRequest r)
    {
        var text = r.Headers.IfNoneMatch.ToString().Trim();
        return text.Length == 0 ? false
            : text == "*" ? true
            : throw ServerException.Bad("on an upload, If-None-Match must be * (create only)");
    }

    private static string? MimeOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var mime = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return mime is "application/octet-stream" or "application/x-www-form-urlencoded" || mime.Length > 255 ? null : mime;
    }
}
