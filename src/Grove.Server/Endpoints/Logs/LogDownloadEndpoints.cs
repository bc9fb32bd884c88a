using System.IO.Compression;
using Grove.Identity;
using Grove.Logs;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Grove.Server.Endpoints.Logs;

/// <summary>
/// The whole log (or a range) as plain text, streamed in bounded memory whatever its size: gzip-encoded when the
/// client accepts it (<c>Content-Encoding: gzip</c>), or a <c>.log.gz</c> file with <c>gz=true</c>. A client that goes
/// away mid-download simply ends the copy.
/// </summary>
internal static class LogDownloadEndpoints
{
    public static void Map(RouteGroupBuilder logs)
    {
        logs.MapMethods("/{id}/download", [HttpMethods.Get, HttpMethods.Head], async (string id, HttpContext ctx, LogService engine, TreeAccess guard) =>
        {
            await LogAccess.RequireAsync(ctx, engine, guard, id, Access.Read);
            var text = new LogTextOptions
            {
                Timestamps = QueryArgs.Bool(ctx.Request, "timestamps", false),
                From = LogArgs.Long(ctx.Request, "from", 0),
                To = ctx.Request.Query.ContainsKey("to") ? LogArgs.Long(ctx.Request, "to", 0) : null,
            };
            if (text.From < 0 || text.To < text.From)
            {
                throw new LogException(LogErrorCode.InvalidRange, "from must be 0 or more and to not below it");
            }

            var file = QueryArgs.Bool(ctx.Request, "gz", false);
            var gzip = file || AcceptsGzip(ctx.Request);
            var r = ctx.Response;
            r.ContentType = file ? "application/gzip" : "text/plain; charset=utf-8";
            r.Headers.CacheControl = "private, no-cache";
            r.Headers.XContentTypeOptions = "nosniff";
            r.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
            r.Headers.Vary = "Accept-Encoding";
            if (gzip && !file)
            {
                r.Headers.ContentEncoding = "gzip";
            }

            if (file || QueryArgs.Bool(ctx.Request, "download", false))
            {
                r.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = id + (file ? ".log.gz" : ".log") }.ToString();
            }

            if (HttpMethods.IsHead(ctx.Request.Method))
            {
                return LogEndpoints.Written;
            }

            var ct = ctx.RequestAborted;
            if (!gzip)
            {
                await engine.WriteTextAsync(id, r.Body, text, ct);
                return LogEndpoints.Written;
            }

            // Note that "fastest" keeps a download near the network's speed on two cores and still shrinks logs 5-10x.
            await using (var zip = new GZipStream(r.Body, CompressionLevel.Fastest, leaveOpen: true))
            {
                await engine.WriteTextAsync(id, zip, text, ct);
            }

            return LogEndpoints.Written;
        }).WithSummary("The log as text (timestamps, from, to), gzip-encoded when accepted; gz=true for a .log.gz file, download=true for an attachment.");
    }

    private static bool AcceptsGzip(HttpRequest r)
    {
        foreach (var value in r.Headers.AcceptEncoding)
        {
            foreach (var part in (value ?? "").Split(','))
            {
                var item = part.Trim();
                var name = item.Split(';')[0].Trim();
                if ((name.Equals("gzip", StringComparison.OrdinalIgnoreCase) || name == "*") && !item.Replace(" ", "", StringComparison.Ordinal).EndsWith(";q=0", StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
