using Grove.Identity;
using Grove.Logs;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Logs;

/// <summary>Pages of lines at any offset (with an optional long poll for the next lines) and the tail.</summary>
internal static class LogReadEndpoints
{
    private const int MaxWaitSeconds = 60;

    public static void Map(RouteGroupBuilder logs, GroveServerOptions options)
    {
        logs.MapGet("/{id}/lines", async (string id, HttpContext ctx, LogService engine, TreeAccess guard) =>
        {
            await LogAccess.RequireAsync(ctx, engine, guard, id, Access.Read);
            var from = LogArgs.Long(ctx.Request, "from", 0);
            var limit = LogArgs.Int(ctx.Request, "limit");
            var wait = QueryArgs.Int(ctx.Request, "wait", 0, 0, MaxWaitSeconds);
            var ct = ctx.RequestAborted;
            var page = await engine.ReadAsync(id, from, limit, ct);
            if (wait > 0 && page.Lines.Count == 0 && !page.Finished && from >= page.Total)
            {
                await WaitForLineAsync(engine, id, from, TimeSpan.FromSeconds(wait), options.Time, ct);
                page = await engine.ReadAsync(id, from, limit, ct);
            }

            return JsonOut.Write(w => LogJson.WritePage(w, page));
        }).WithSummary("A page of lines: from (default 0), limit (default 1,000, at most the server's maximum); wait=N seconds long-polls for lines past the end.");

        logs.MapGet("/{id}/tail", async (string id, HttpContext ctx, LogService engine, TreeAccess guard) =>
        {
            await LogAccess.RequireAsync(ctx, engine, guard, id, Access.Read);
            var n = LogArgs.Int(ctx.Request, "n") ?? 100;
            var page = await engine.TailAsync(id, n, ctx.RequestAborted);
            return JsonOut.Write(w => LogJson.WritePage(w, page));
        }).WithSummary("The last n lines (default 100).");
    }

    /// <summary>Waits until line <paramref name="from"/> exists, the task finishes, or the wait is over.</summary>
    private static async Task WaitForLineAsync(LogService engine, string id, long from, TimeSpan wait, TimeProvider time, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(wait, time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await using var e = engine.FollowAsync(id, from, both.Token).GetAsyncEnumerator(both.Token);
            await e.MoveNextAsync();
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // Nothing new within the wait: answer the empty page.
        }
    }
}
