using System.Globalization;
using System.Text;
using System.Text.Json;
using Grove.Identity;
using Grove.Server.Internal;
using Grove.Tree;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Grove.Server.Endpoints;

/// <summary>
/// The tree's change feed (docs/watch-hooks-queues.md): pages as JSON, and a live stream of server-sent events
/// (<c>id</c> = revision; <c>change</c>, <c>resync</c>, and a <c>hello</c> with the starting revision), resumable with
/// <c>Last-Event-ID</c>. Only changes the caller may read are shown.
/// </summary>
internal static class WatchEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("watch");

        group.MapGet("/changes/{**path}", async (string? path, HttpContext ctx, GuardedTree trees) =>
        {
            var after = Long(ctx.Request.Query["after"].ToString()) ?? 0;
            var limit = QueryArgs.Int(ctx.Request, "limit", 1000, 1, 10_000);
            var page = await trees.ChangesAsync(ctx.Caller(), HttpContextExtensions.TreePath(path), after, limit, ctx.RequestAborted);
            return JsonOut.Write(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("revision", page.Revision);
                w.WriteBoolean("resync", page.Resync);
                w.WriteStartArray("changes");
                foreach (var c in page.Changes)
                {
                    ChangeJson.Write(w, c);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }).WithSummary("One page of committed changes under a path after a revision ('after'); 'resync' when the feed no longer holds what follows it.");

        group.MapGet("/watch/{**path}", async (string? path, HttpContext ctx, GuardedTree trees, IHostApplicationLifetime life) =>
        {
            var caller = ctx.Caller();
            var root = await trees.RequireWatchableAsync(caller, HttpContextExtensions.TreePath(path), ctx.RequestAborted);
            var after = Long(ctx.Request.Headers["Last-Event-ID"].ToString()) ?? Long(ctx.Request.Query["from"].ToString()) ?? await trees.Tree.ChangeRevisionAsync(ctx.RequestAborted);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, life.ApplicationStopping);
            var response = ctx.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache, no-store";
            response.Headers["X-Accel-Buffering"] = "no";
            try
            {
                await Write(response, Event(after, "hello", w => Revision(w, after)), stop.Token);
                await response.Body.FlushAsync(stop.Token);
                while (true)
                {
                    var page = await trees.ChangesAsync(caller, root, after, 1000, stop.Token);
                    var moved = page.Revision != after;
                    if (page.Resync)
                    {
                        await Write(response, Event(page.Revision, "resync", w => Revision(w, page.Revision)), stop.Token);
                    }

                    foreach (var c in page.Changes)
                    {
                        await Write(response, Event(c.Revision, "change", w => ChangeJson.Write(w, c)), stop.Token);
                    }

                    after = page.Revision;
                    await response.Body.FlushAsync(stop.Token);
                    if (moved)
                    {
                        continue;
                    }

                    var seen = trees.Tree.ChangeRevision;
                    await trees.Tree.WaitForChangesAsync(after, Heartbeat, stop.Token);
                    if (trees.Tree.ChangeRevision == seen)
                    {
                        await Write(response, ": keep-alive\n\n", stop.Token);
                        await response.Body.FlushAsync(stop.Token);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The client went away, or the server is stopping: the client reconnects with its Last-Event-ID.
            }

            return Results.Empty;
        }).WithSummary("Follow committed changes under a path as server-sent events (id = revision) after 'from' or Last-Event-ID (default: from now); 'resync' when the feed no longer holds what follows it.");
    }

    private static long? Long(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static void Revision(Utf8JsonWriter w, long revision)
    {
        w.WriteStartObject();
        w.WriteNumber("revision", revision);
        w.WriteEndObject();
    }

    private static string Event(long id, string name, Action<Utf8JsonWriter> data)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            data(w);
        }

        return string.Create(CultureInfo.InvariantCulture, $"id: {id}\nevent: {name}\ndata: {Encoding.UTF8.GetString(buffer.WrittenSpan)}\n\n");
    }

    private static Task Write(HttpResponse response, string text, CancellationToken ct) => response.WriteAsync(text, Encoding.UTF8, ct);
}
