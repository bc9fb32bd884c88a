using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Grove.Tree;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal;

/// <summary>Writes JSON answers straight to the response body (no intermediate strings or DOM).</summary>
internal static class JsonOut
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>An object in its wire form.</summary>
    public static IResult Object(TreeObject o, int status = StatusCodes.Status200OK) =>
        new JsonResult(status, w => ObjectJson.Write(w, o));

    /// <summary>A page: <c>{"items":[…],"next":…}</c>.</summary>
    public static IResult Page(Page<TreeObject> page) => new JsonResult(StatusCodes.Status200OK, w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("items");
        foreach (var o in page.Items)
        {
            ObjectJson.Write(w, o);
        }

        w.WriteEndArray();
        if (page.Next is null)
        {
            w.WriteNull("next");
        }
        else
        {
            w.WriteString("next", page.Next);
        }

        w.WriteEndObject();
    });

    /// <summary>
    /// A listing as the caller may see it: <c>{"items":[…],"next":…}</c>, where an object the caller may not read is
    /// <c>{"nm":…,"race":…,"hidden":true}</c>.
    /// </summary>
    public static IResult Listing(Page<Grove.Identity.Listed> page) => new JsonResult(StatusCodes.Status200OK, w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("items");
        foreach (var (o, readable) in page.Items)
        {
            if (readable)
            {
                ObjectJson.Write(w, o);
                continue;
            }

            // Note that the path is the directory's plus the name: it tells nothing the listing does not.
            w.WriteStartObject();
            w.WriteString("nm", o.Name);
            w.WriteString("race", o.IsDir ? "DIR" : "FILE");
            if (o.Path is { } path)
            {
                w.WriteString("ph", path);
            }

            w.WriteBoolean("hidden", true);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (page.Next is null)
        {
            w.WriteNull("next");
        }
        else
        {
            w.WriteString("next", page.Next);
        }

        w.WriteEndObject();
    });

    /// <summary>Any value serialized with the web defaults (camelCase).</summary>
    public static IResult Value<T>(T value, int status = StatusCodes.Status200OK) =>
        new JsonResult(status, w => JsonSerializer.Serialize(w, value, JsonSerializerOptions.Web));

    /// <summary>A JSON answer written by a callback.</summary>
    public static IResult Write(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK) => new JsonResult(status, write);

    /// <summary>A JSON answer written by a callback into bytes (to keep a serialized form; see <see cref="WriteUtf8"/>).</summary>
    public static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Answers 200 with JSON already serialized (<see cref="Serialize"/>) and its length: the bytes are copied into the
    /// response's buffer, which the server sends with the headers when the request ends (one write, no flush here).
    /// </summary>
    public static void WriteUtf8(HttpContext ctx, byte[] json)
    {
        var response = ctx.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = json.Length;
        response.BodyWriter.Write(json);
    }

    private sealed class JsonResult(int status, Action<Utf8JsonWriter> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await using (var w = new Utf8JsonWriter(httpContext.Response.BodyWriter, Options))
            {
                write(w);
            }

            await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted);
        }
    }
}
