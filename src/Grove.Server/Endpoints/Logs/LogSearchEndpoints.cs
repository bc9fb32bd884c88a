using Grove.Identity;
using Grove.Logs;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Logs;

/// <summary>
/// Searching a whole log on the server: matching lines with their numbers streamed as NDJSON (or SSE with
/// <c>Accept: text/event-stream</c> / <c>format=sse</c>, ending with an <c>end</c> event). The pattern is checked
/// before anything streams: a bad one is a 400 with .NET's reason; regular expressions run non-backtracking.
/// </summary>
internal static class LogSearchEndpoints
{
    public static void Map(RouteGroupBuilder logs)
    {
        logs.MapGet("/{id}/search", async (string id, HttpContext ctx, LogService engine, TreeAccess guard) =>
        {
            await LogAccess.RequireAsync(ctx, engine, guard, id, Access.Read);
            var search = new LogSearch
            {
                Pattern = QueryArgs.String(ctx.Request, "q") ?? throw new LogException(LogErrorCode.InvalidPattern, "'q' (the text or pattern to find) is required"),
                Regex = QueryArgs.Bool(ctx.Request, "regex", false),
                IgnoreCase = QueryArgs.Bool(ctx.Request, "ignoreCase", false),
                From = LogArgs.Long(ctx.Request, "from", 0),
                MaxMatches = LogArgs.Int(ctx.Request, "max") ?? 1000,
            };
            var matches = engine.SearchAsync(id, search, ctx.RequestAborted);
            var sse = LineStream.WantsSse(ctx.Request, fallback: false);
            var stream = LineStream.Start(ctx, sse);
            var count = 0;
            await stream.PumpAsync(Counted(matches, () => count++), TimeProvider.System);
            if (sse)
            {
                stream.WriteEvent("end", w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("matches", count);
                    w.WriteBoolean("more", count >= search.MaxMatches);
                    w.WriteEndObject();
                });
                await stream.FlushAsync();
            }

            return LogEndpoints.Written;
        }).WithSummary("Lines matching q (substring, or regex=true; ignoreCase, from, max) streamed as NDJSON {\"n\",\"t\",\"text\"}, or SSE.");
    }

    private static async IAsyncEnumerable<LogLine> Counted(IAsyncEnumerable<LogLine> lines, Action seen)
    {
        await foreach (var line in lines)
        {
            seen();
            yield return line;
        }
    }
}
