using System.Globalization;
using Grove.Identity;
using Grove.Logs;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Logs;

/// <summary>
/// Following a task: server-sent events from a line number, continuing across the live-to-archive handover, ending
/// with an <c>end</c> event once the task is finished and every line was sent. <c>Last-Event-ID</c> (sent by an
/// <c>EventSource</c> reconnecting) resumes after that line. <c>format=ndjson</c> streams the same lines as NDJSON.
/// </summary>
internal static class LogFollowEndpoints
{
    public static void Map(RouteGroupBuilder logs, GroveServerOptions options)
    {
        logs.MapGet("/{id}/follow", async (string id, HttpContext ctx, LogService engine, TreeAccess guard) =>
        {
            await LogAccess.RequireAsync(ctx, engine, guard, id, Access.Read);
            var from = LogArgs.Long(ctx.Request, "from", 0);
            if (ctx.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } lastId)
            {
                from = long.TryParse(lastId, NumberStyles.None, CultureInfo.InvariantCulture, out var last) && last < long.MaxValue
                    ? last + 1
                    : throw new LogException(LogErrorCode.InvalidRange,
                        $"Last-Event-ID must be a line number (an integer, 0 or more), not '{(lastId.Length > 40 ? lastId[..40] + "..." : lastId)}'");
            }

            var lines = engine.FollowAsync(id, from, ctx.RequestAborted);
            var sse = ctx.Request.Query["format"].ToString() != "ndjson";
            var stream = LineStream.Start(ctx, sse);
            await stream.PumpAsync(lines, options.Time);
            if (sse)
            {
                var task = await engine.GetAsync(id, ctx.RequestAborted);
                stream.WriteEvent("end", w => LogJson.WriteTask(w, task));
                await stream.FlushAsync();
            }

            return LogEndpoints.Written;
        }).WithSummary("Follow a task's lines as server-sent events (id = line number) from 'from' or Last-Event-ID; an 'end' event carries the finished task.");
    }
}
