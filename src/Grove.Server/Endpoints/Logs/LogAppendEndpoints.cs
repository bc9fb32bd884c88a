using System.Buffers;
using System.Text.Json;
using Grove.Identity;
using Grove.Logs;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Logs;

/// <summary>
/// Appending a batch: the binary <c>GLB1</c> batch (<see cref="LogBatchCodec"/>) or, for simple clients, JSON
/// <c>{"lines":[{"n":0,"t":…,"text":"…"}]}</c>. Idempotent by line number; a gap or a mismatching overlap answers
/// 409 with <c>expected</c>, the line to resend from.
/// </summary>
internal static class LogAppendEndpoints
{
    public static void Map(RouteGroupBuilder logs, GroveServerOptions options)
    {
        logs.MapPost("/{id}/lines", async (string id, HttpContext ctx, LogService engine, TreeAccess guard) =>
        {
            await LogAccess.RequireAsync(ctx, engine, guard, id, Access.Write);
            var o = engine.Options;
            var media = ctx.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
            var json = media is "application/json";
            if (!json && media != LogBatchCodec.ContentType)
            {
                throw new LogException(LogErrorCode.UnsupportedMediaType,
                    $"send a batch as {LogBatchCodec.ContentType} (docs/logs.md) or application/json {{\"lines\":[{{\"n\",\"t\",\"text\"}}]}}");
            }

            // Note that a batch is bounded (the engine's batch limits); a body cannot grow past what they allow.
            var limit = json ? (long)o.MaxBatchBytes * 6 + (long)o.MaxBatchLines * 64 + 64 : o.MaxBatchBytes + ((long)o.MaxBatchLines * 24) + 64;
            var (buffer, length) = await ReadBodyAsync(ctx, limit);
            try
            {
                var lines = json
                    ? ReadJson(buffer.AsMemory(0, length))
                    : LogBatchCodec.Decode(buffer.AsSpan(0, length), o.MaxBatchBytes, o.MaxBatchLines);
                var result = await engine.AppendAsync(id, lines, ctx.RequestAborted);
                return JsonOut.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("accepted", result.Accepted);
                    w.WriteNumber("duplicates", result.Duplicates);
                    w.WriteNumber("next", result.Next);
                    w.WriteEndObject();
                });
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }).WithSummary("Append a batch of numbered lines (GLB1 or JSON); a retried batch is applied once; a gap answers 409 with expected.");
    }

    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpContext ctx, long limit)
    {
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        if (ctx.Request.ContentLength > limit)
        {
            throw new LogException(LogErrorCode.TooLarge, $"the batch has {ctx.Request.ContentLength} bytes; the limit is {limit}");
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(ctx.Request.ContentLength ?? 64 * 1024, 1024, limit));
        var used = 0;
        try
        {
            while (true)
            {
                if (used == buffer.Length)
                {
                    if (used >= limit)
                    {
                        throw new LogException(LogErrorCode.TooLarge, $"a batch body is limited to {limit} bytes");
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1, (long)buffer.Length * 2));
                    buffer.AsSpan(0, used).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var n = await ctx.Request.Body.ReadAsync(buffer.AsMemory(used), ctx.RequestAborted);
                if (n == 0)
                {
                    return (buffer, used);
                }

                used += n;
                if (used > limit)
                {
                    throw new LogException(LogErrorCode.TooLarge, $"a batch body is limited to {limit} bytes");
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// A line's <c>"t"</c>: milliseconds since the Unix epoch, from 0 to the end of year 9999. Without one (or null) the
    /// engine stamps the line when it stores it, so an identical retry matches what the first try stored.
    /// </summary>
    private static long Timestamp(JsonElement line, int index)
    {
        if (!line.TryGetProperty("t", out var t) || t.ValueKind == JsonValueKind.Null)
        {
            return LogLine.Unstamped;
        }

        if (t.ValueKind != JsonValueKind.Number || !t.TryGetInt64(out var stamp) || stamp is < 0 or > LogLine.MaxTimestamp)
        {
            var shown = t.GetRawText();
            throw new LogException(LogErrorCode.InvalidTime,
                $"line {index} of the batch has \"t\": {(shown.Length > 40 ? shown[..40] + "..." : shown)}; \"t\" is an integer of milliseconds since the Unix epoch (0 to {LogLine.MaxTimestamp}), or left out for the server's clock");
        }

        return stamp;
    }

    private static List<LogLine> ReadJson(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("lines", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw new LogException(LogErrorCode.InvalidBatch, "a JSON batch is {\"lines\":[{\"n\":0,\"t\":1767225600000,\"text\":\"…\"}]}");
            }

            var lines = new List<LogLine>(items.GetArrayLength());
            foreach (var e in items.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object
                    || !e.TryGetProperty("n", out var n) || n.ValueKind != JsonValueKind.Number || !n.TryGetInt64(out var number)
                    || !e.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                {
                    throw new LogException(LogErrorCode.InvalidBatch, $"line {lines.Count} of the batch needs an integer \"n\" and a string \"text\"");
                }

                lines.Add(new LogLine(number, Timestamp(e, lines.Count), text.GetString()!));
            }

            return lines;
        }
        catch (JsonException e)
        {
            throw new LogException(LogErrorCode.InvalidBatch, "malformed JSON batch: " + e.Message);
        }
    }
}
