using System.Text.Encodings.Web;
using System.Text.Json;
using Grove.Logs;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Endpoints.Logs;

/// <summary>
/// Turns <see cref="LogException"/>s of the log routes into problem+json answers with their stable code; a <c>gap</c>
/// or <c>overlap_mismatch</c> also carries <c>expected</c>, the line the client resends from.
/// </summary>
internal static class LogProblems
{
    public const string UnsupportedMediaType = "unsupported_media_type";

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The endpoint filter of the <c>/logs</c> group.</summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (LogException e)
        {
            await WriteAsync(context.HttpContext, Status(e.Code), e.Code, e.Message, e.Expected);
            return Results.Empty;
        }
    }

    /// <summary>The HTTP status of a log error code.</summary>
    public static int Status(string code) => code switch
    {
        LogErrorCode.NotFound => StatusCodes.Status404NotFound,
        LogErrorCode.Finished or LogErrorCode.Gap or LogErrorCode.OverlapMismatch => StatusCodes.Status409Conflict,
        LogErrorCode.TooLarge => StatusCodes.Status413PayloadTooLarge,
        UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        LogErrorCode.Corrupt => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>Writes the problem, or cuts the connection when part of a streamed answer has gone out.</summary>
    public static async Task WriteAsync(HttpContext ctx, int status, string code, string detail, long? expected = null)
    {
        if (ctx.Response.HasStarted)
        {
            // Note that half a stream has been sent: cutting the connection is the only honest signal left.
            ctx.Abort();
            return;
        }

        ctx.Response.Clear();
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = Problem.ContentType;
        await using var w = new Utf8JsonWriter(ctx.Response.BodyWriter, Options);
        w.WriteStartObject();
        w.WriteString("type", "https://grove.dev/problems/" + code);
        w.WriteString("title", status == StatusCodes.Status415UnsupportedMediaType ? "Unsupported media type" : ErrorMap.Title(status));
        w.WriteNumber("status", status);
        w.WriteString("detail", detail);
        w.WriteString("code", code);
        if (expected is { } e)
        {
            w.WriteNumber("expected", e);
        }

        w.WriteEndObject();
        await w.FlushAsync(ctx.RequestAborted);
    }
}
