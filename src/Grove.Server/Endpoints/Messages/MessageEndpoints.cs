using System.Buffers;
using System.Globalization;
using Grove.Messages;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Messages;

/// <summary>The message routes under <c>/api/v1/messages</c> (docs/messages.md).</summary>
internal static class MessageEndpoints
{
    public static void Map(IEndpointRouteBuilder api, MessageServerOptions o)
    {
        var group = api.MapGroup("/messages").WithTags("messages");
        group.MapPost("/{partner}/{type}", async (string partner, string type, HttpContext ctx, MessageEngine engine) =>
        {
            MessageAccess.RequireSend(ctx.Caller(), partner, o);
            var (buffer, length) = await ReadBodyAsync(ctx, o.MaxBodyBytes);
            try
            {
                // Note that the engine compresses the body before it queues for the store, so the pooled buffer goes back once it answers.
                var r = await engine.ReceiveAsync(new ReceiveRequest
                {
                    Partner = partner,
                    Type = type,
                    Body = buffer.AsMemory(0, length),
                    SourceId = ctx.Request.Query["sourceId"].FirstOrDefault(),
                    IdempotencyKey = ctx.Request.Headers["Idempotency-Key"].FirstOrDefault(),
                }, ctx.RequestAborted);
                return JsonOut.Write(w => MessageJson.Write(w, r), r.Duplicate ? StatusCodes.Status200OK : StatusCodes.Status201Created);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });

        group.MapGet("/", async (HttpContext ctx, MessageEngine engine) =>
        {
            var q = Query(ctx.Request.Query, o, ctx);
            var page = await engine.QueryAsync(q, ctx.RequestAborted);
            return JsonOut.Write(w => MessageJson.Write(w, page));
        });

        group.MapGet("/{id:long}", async (long id, HttpContext ctx, MessageEngine engine) =>
        {
            var v = await engine.GetAsync(id, ctx.RequestAborted);
            MessageAccess.RequireRead(ctx.Caller(), v.Message, o);
            return JsonOut.Write(w => MessageJson.Write(w, v));
        });

        group.MapGet("/{partner}/by-source/{sourceId}", async (string partner, string sourceId, HttpContext ctx, MessageEngine engine) =>
        {
            MessageAccess.RequireRead(ctx.Caller(), partner, o);
            var v = await engine.FindAsync(partner, sourceId, ctx.RequestAborted);
            return JsonOut.Write(w => MessageJson.Write(w, v));
        });

        group.MapGet("/{id:long}/original", async (long id, HttpContext ctx, MessageEngine engine) =>
        {
            var v = await engine.GetAsync(id, ctx.RequestAborted);
            MessageAccess.RequireRead(ctx.Caller(), v.Message, o);
            var bytes = await engine.GetOriginalAsync(id, ctx.RequestAborted);
            return Results.Bytes(bytes, v.Mapping.Format == SourceFormat.Xml ? "application/xml" : "application/json");
        });

        group.MapGet("/{id:long}/pdf", async (long id, HttpContext ctx, MessageEngine engine) =>
        {
            var v = await engine.GetAsync(id, ctx.RequestAborted);
            MessageAccess.RequireRead(ctx.Caller(), v.Message, o);
            ctx.Response.ContentType = "application/pdf";
            await engine.PrintAsync(id, ctx.Response.Body, ctx.RequestAborted);
            return Results.Empty;
        });

        group.MapGet("/{partner}/by-source/{sourceId}/pdf", async (string partner, string sourceId, HttpContext ctx, MessageEngine engine) =>
        {
            MessageAccess.RequireRead(ctx.Caller(), partner, o);
            var v = await engine.FindAsync(partner, sourceId, ctx.RequestAborted);
            ctx.Response.ContentType = "application/pdf";
            await engine.PrintAsync(v.Message.Id, ctx.Response.Body, ctx.RequestAborted);
            return Results.Empty;
        });

        // Note that a batch print is a GET with the listing's parameters plus format=pdf|zip: the answer streams.
        group.MapGet("/print", async (HttpContext ctx, MessageEngine engine) =>
        {
            var q = Query(ctx.Request.Query, o, ctx);
            var zip = ctx.Request.Query["format"].FirstOrDefault() is "zip";
            ctx.Response.ContentType = zip ? "application/zip" : "application/pdf";
            ctx.Response.Headers.ContentDisposition = zip ? "attachment; filename=messages.zip" : "attachment; filename=messages.pdf";
            await engine.PrintBatchAsync(q with { Limit = Math.Min(q.Limit, 200) }, ctx.Response.Body, zip ? BatchFormat.Zip : BatchFormat.Pdf, ctx.RequestAborted);
            return Results.Empty;
        });

        group.MapGet("/problems", (HttpContext ctx, MessageEngine engine) =>
        {
            if (!MessageAccess.ReadsAll(ctx.Caller(), o))
            {
                throw new MessageException(MessageErrorCode.Forbidden, $"mapping problems are shown to admins and the group '{o.ReadersGroup}'");
            }

            return JsonOut.Value(engine.MappingProblems.ToDictionary(p => p.Key, p => p.Value.Errors.Select(e => e.ToString()).ToArray(), StringComparer.Ordinal));
        });
    }

    private static MessageQuery Query(IQueryCollection q, MessageServerOptions o, HttpContext ctx)
    {
        var partner = MessageAccess.RequireRead(ctx.Caller(), q["partner"].FirstOrDefault(), o);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in q)
        {
            if (name.StartsWith("key.", StringComparison.Ordinal) && values.FirstOrDefault() is { } v)
            {
                keys[name[4..]] = v;
            }
        }

        return new MessageQuery
        {
            Partner = partner,
            Type = q["type"].FirstOrDefault(),
            From = Time(q["from"].FirstOrDefault(), "from"),
            To = Time(q["to"].FirstOrDefault(), "to"),
            Keys = keys,
            Where = q["where"].FirstOrDefault(),
            Ids = q["ids"].FirstOrDefault() is { } ids ? ids.Split(',').Select(i => Number(i, "ids")).ToArray() : null,
            Limit = q["limit"].FirstOrDefault() is { } l ? (int)Math.Min(Number(l, "limit"), int.MaxValue) : 100,
            After = q["after"].FirstOrDefault(),
        };
    }

    private static DateTimeOffset? Time(string? s, string what) => s is null
        ? null
        : DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw new MessageException(MessageErrorCode.InvalidArgument, $"{what} must be an ISO 8601 time");

    private static long Number(string s, string what) => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
        ? n
        : throw new MessageException(MessageErrorCode.InvalidArgument, $"{what} must be a number");

    /// <summary>The body read once into a pooled buffer (sized by Content-Length when given); the caller returns it.</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpContext ctx, int limit)
    {
        var declared = ctx.Request.ContentLength;
        if (declared > limit)
        {
            throw new MessageException(MessageErrorCode.TooLarge, $"the body is {declared} bytes, over the limit of {limit}") { Limit = limit };
        }

        var buffer = ArrayPool<byte>.Shared.Rent(declared is { } d ? (int)d + 1 : 16 * 1024);
        var length = 0;
        try
        {
            int n;
            while ((n = await ctx.Request.Body.ReadAsync(buffer.AsMemory(length), ctx.RequestAborted)) > 0)
            {
                length += n;
                if (length > limit)
                {
                    throw new MessageException(MessageErrorCode.TooLarge, $"the body is over the limit of {limit} bytes") { Limit = limit };
                }

                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
            }

            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
