using System.Text.Json;
using Grove.Identity;
using Grove.Queues;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Queues;

/// <summary>
/// Queue mounts over HTTP (docs/watch-hooks-queues.md): push (write on the queue), pop, ack and nack (write), ls
/// (list), stats (the queues the caller may list). Receipts travel in the query string.
/// </summary>
internal static class QueueEndpoints
{
    public static void Map(IEndpointRouteBuilder api, GroveServerOptions options)
    {
        var mq = api.MapGroup("/mq").WithTags("queues");

        mq.MapPost("/push/{**queue}", async (string? queue, HttpContext ctx, GuardedTree trees, QueueService queues) =>
        {
            var path = await RequireAsync(ctx, trees, queue, Access.Write);
            if (ctx.Request.ContentLength > options.MaxUploadBytes)
            {
                throw new ServerException(ErrorMap.TooLarge, $"the message has {ctx.Request.ContentLength} bytes; the limit is {options.MaxUploadBytes}");
            }

            var body = new UploadLimitStream(ctx.Request.Body, options.MaxUploadBytes);
            var m = await queues.PushAsync(path, body, QueryArgs.String(ctx.Request, "name"), ctx.Caller().User, ctx.RequestAborted);
            return JsonOut.Write(w => Message(w, m, null), StatusCodes.Status201Created);
        }).WithSummary("Enqueue the body as a new message file of the queue ('name' optional).");

        mq.MapPost("/pop/{**queue}", async (string? queue, HttpContext ctx, GuardedTree trees, QueueService queues) =>
        {
            var path = await RequireAsync(ctx, trees, queue, Access.Write);
            var seconds = QueryArgs.Int(ctx.Request, "visibility", (int)queues.Options.Visibility.TotalSeconds, 1, (int)queues.Options.MaxVisibility.TotalSeconds);
            if (ctx.Request.Query.ContainsKey("max"))
            {
                var max = QueryArgs.Int(ctx.Request, "max", 1, 1, QueueService.MaxBatch);
                var batch = await queues.ClaimManyAsync(path, max, TimeSpan.FromSeconds(seconds), ctx.RequestAborted);
                return JsonOut.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteStartArray("items");
                    foreach (var c in batch)
                    {
                        Message(w, c.Message, c.Receipt);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                });
            }

            var claimed = await queues.ClaimAsync(path, TimeSpan.FromSeconds(seconds), ctx.RequestAborted);
            return claimed is null ? Results.NoContent() : JsonOut.Write(w => Message(w, claimed.Message, claimed.Receipt));
        }).WithSummary("Claim the first visible message for 'visibility' seconds: the message and its receipt, or 204 when none. " +
            "With 'max' (1 to 1000): up to that many, as {items: [...]} (empty when none).");

        mq.MapPost("/ack/{**queue}", async (string? queue, HttpContext ctx, GuardedTree trees, QueueService queues) =>
        {
            var path = await RequireAsync(ctx, trees, queue, Access.Write);
            if (QueryArgs.String(ctx.Request, "receipt") is null && ctx.Request.ContentLength is not 0 && ctx.Request.ContentType is not null)
            {
                var result = await queues.AckManyAsync(path, await ReceiptsAsync(ctx, options), ctx.RequestAborted);
                return JsonOut.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("acked", result.Acked);
                    w.WriteStartArray("stale");
                    foreach (var r in result.Stale)
                    {
                        w.WriteStringValue(r);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                });
            }

            await queues.AckAsync(path, Receipt(ctx), ctx.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Acknowledge a claimed message ('receipt'): its file is deleted. Several at once: a JSON body " +
            "{receipts: [...]} (at most 1000) answers {acked, stale: [receipts refused as stale]}.");

        mq.MapPost("/nack/{**queue}", async (string? queue, HttpContext ctx, GuardedTree trees, QueueService queues) =>
        {
            var path = await RequireAsync(ctx, trees, queue, Access.Write);
            var delay = QueryArgs.Int(ctx.Request, "delay", 0, 0, (int)queues.Options.MaxVisibility.TotalSeconds);
            await queues.NackAsync(path, Receipt(ctx), TimeSpan.FromSeconds(delay), ctx.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Give a claimed message back ('receipt'), visible again after 'delay' seconds.");

        mq.MapGet("/ls/{**queue}", async (string? queue, HttpContext ctx, GuardedTree trees, QueueService queues) =>
        {
            var path = await RequireAsync(ctx, trees, queue, Access.List);
            var after = long.TryParse(ctx.Request.Query["after"].ToString(), out var a) ? a : 0;
            var list = await queues.ListAsync(path, after, QueryArgs.Int(ctx.Request, "limit", 1000, 1, 10_000), ctx.RequestAborted);
            var stats = await queues.StatsAsync(path, ctx.RequestAborted);
            return JsonOut.Write(w =>
            {
                w.WriteStartObject();
                Stats(w, stats);
                w.WriteStartArray("items");
                foreach (var m in list)
                {
                    Message(w, m, null);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }).WithSummary("The queue's messages in FIFO order (after sequence 'after'), with its depth and oldest message.");

        mq.MapGet("/stats", async (HttpContext ctx, GuardedTree trees, QueueService queues) =>
        {
            var p = ctx.Caller();
            var shown = new List<QueueStats>();
            foreach (var s in await queues.AllStatsAsync(ctx.RequestAborted))
            {
                if (p.IsAdmin || (await trees.Access.FindVisibleAsync(p, s.Path, ctx.RequestAborted) is { } dir && Access.Allows(p, dir, Access.List)))
                {
                    shown.Add(s);
                }
            }

            return JsonOut.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("items");
                foreach (var s in shown)
                {
                    w.WriteStartObject();
                    Stats(w, s);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }).WithSummary("Every queue the caller may list, empty ones included: depth, in flight, oldest message.");
    }

    private static async Task<string> RequireAsync(HttpContext ctx, GuardedTree trees, string? queue, int bit)
    {
        var o = await trees.Access.RequireAsync(ctx.Caller(), HttpContextExtensions.TreePath(queue), bit, ctx.RequestAborted);
        return o.Path ?? "/";
    }

    private static async Task<IReadOnlyList<string>> ReceiptsAsync(HttpContext ctx, GroveServerOptions options)
    {
        JsonBody.RequireJsonType(ctx);
        using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
        if (!body.RootElement.TryGetProperty("receipts", out var list) || list.ValueKind != JsonValueKind.Array
            || list.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
        {
            throw ServerException.Bad("the body is {\"receipts\": [\"receipt\", ...]}");
        }

        return [.. list.EnumerateArray().Select(r => r.GetString()!)];
    }

    private static string Receipt(HttpContext ctx) =>
        QueryArgs.String(ctx.Request, "receipt") ?? throw ServerException.Bad("'receipt' is required");

    private static void Stats(Utf8JsonWriter w, QueueStats s)
    {
        w.WriteString("path", s.Path);
        w.WriteNumber("depth", s.Depth);
        w.WriteNumber("inFlight", s.InFlight);
        if (s.Oldest is { } oldest)
        {
            w.WriteNumber("oldest", oldest);
        }
        else
        {
            w.WriteNull("oldest");
        }
    }

    private static void Message(Utf8JsonWriter w, QueueMessage m, string? receipt)
    {
        w.WriteStartObject();
        w.WriteNumber("sequence", m.Sequence);
        w.WriteString("id", m.Id);
        w.WriteString("path", m.Path);
        w.WriteNumber("deliveries", m.Deliveries);
        w.WriteNumber("enqueued", m.Enqueued);
        w.WriteNumber("visibleAt", m.VisibleAt);
        if (receipt is not null)
        {
            w.WriteString("receipt", receipt);
        }

        w.WriteEndObject();
    }
}
