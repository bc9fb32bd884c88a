using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal;

/// <summary>Writes <c>application/problem+json</c> answers: <c>{"type","title","status","detail","code"}</c>.</summary>
internal static class Problem
{
    public const string ContentType = "application/problem+json";

    /// <summary>Writes an engine's or the HTTP layer's error as its problem answer, with its extra members.</summary>
    public static Task WriteAsync(HttpContext ctx, GroveException e) =>
        WriteAsync(ctx, e.Status, e.Code, e.Message, e.RetryAfter, e.Extensions);

    /// <summary>Writes a problem answer unless the response has started (then the connection is aborted instead).</summary>
    public static async Task WriteAsync(HttpContext ctx, int status, string code, string detail, TimeSpan? retryAfter = null, IReadOnlyDictionary<string, object>? extensions = null)
    {
        if (ctx.Response.HasStarted)
        {
            // Note that half a body has been sent: the only honest signal left is to cut the connection.
            ctx.Abort();
            return;
        }

        ctx.Response.Clear();
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = ContentType;
        if (retryAfter is { } wait)
        {
            ctx.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (status == StatusCodes.Status401Unauthorized)
        {
            ctx.Response.Headers.WWWAuthenticate = "Bearer";
        }

        if (HttpMethods.IsHead(ctx.Request.Method))
        {
            return;
        }

        await using var w = new Utf8JsonWriter(ctx.Response.BodyWriter, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("type", "https://grove.dev/problems/" + code);
        w.WriteString("title", ErrorMap.Title(status));
        w.WriteNumber("status", status);
        w.WriteString("detail", detail);
        w.WriteString("code", code);
        foreach (var (name, value) in extensions ?? new Dictionary<string, object>())
        {
            w.WritePropertyName(name);
            JsonSerializer.Serialize(w, value, value.GetType(), ProblemJson.Default.Options);
        }

        w.WriteEndObject();
        await w.FlushAsync(ctx.RequestAborted);
    }
}

/// <summary>The types problem extensions may hold, serialized without reflection.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(long))]
[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSerializable(typeof(bool))]
[System.Text.Json.Serialization.JsonSerializable(typeof(double))]
internal sealed partial class ProblemJson : System.Text.Json.Serialization.JsonSerializerContext;
