using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal;

/// <summary>Reads a JSON request body within the size limit; malformed or oversized bodies are refused clearly.</summary>
internal static class JsonBody
{
    /// <summary>The body as a JSON document (an empty body reads as <c>{}</c>).</summary>
    public static async Task<JsonDocument> ReadAsync(HttpContext ctx, int limit)
    {
        var declared = ctx.Request.ContentLength;
        if (declared > limit)
        {
            throw new ServerException(ErrorMap.TooLarge, $"the body has {declared} bytes; JSON bodies are limited to {limit} bytes");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted)) > 0)
        {
            if (buffer.Length + n > limit)
            {
                throw new ServerException(ErrorMap.TooLarge, $"JSON bodies are limited to {limit} bytes");
            }

            buffer.Write(chunk, 0, n);
        }

        if (buffer.Length == 0)
        {
            return JsonDocument.Parse("{}");
        }

        var doc = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = 64 });
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw ServerException.Bad("the body must be a JSON object");
        }

        return doc;
    }

    /// <summary>Refuses a body that is not declared <c>application/json</c> (415), before reading it.</summary>
    public static void RequireJsonType(HttpContext ctx)
    {
        var media = ctx.Request.ContentType?.Split(';')[0].Trim();
        if (ctx.Request.ContentLength != 0 && !(string.Equals(media, "application/json", StringComparison.OrdinalIgnoreCase)
            || (media?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) ?? false)))
        {
            throw new ServerException(ErrorMap.UnsupportedMediaType, $"send the body as application/json, not '{media ?? "(none)"}'");
        }
    }

    /// <summary>Refuses members other than <paramref name="known"/> (a misspelt key must not be ignored silently).</summary>
    public static void RequireKnownKeys(JsonElement e, params string[] known)
    {
        foreach (var p in e.EnumerateObject())
        {
            if (Array.IndexOf(known, p.Name) < 0)
            {
                throw ServerException.Bad($"unknown key '{(p.Name.Length > 40 ? p.Name[..40] + "..." : p.Name)}'; the keys are {string.Join(", ", known)}");
            }
        }
    }

    /// <summary>A string property, or null when absent; a value of another kind is refused.</summary>
    public static string? String(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw ServerException.Bad($"'{name}' must be a string");
    }

    /// <summary>A required string property.</summary>
    public static string RequiredString(JsonElement e, string name) =>
        String(e, name) ?? throw ServerException.Bad($"'{name}' is required");

    /// <summary>A boolean property, or <paramref name="fallback"/> when absent.</summary>
    public static bool Bool(JsonElement e, string name, bool fallback) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? fallback
        : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean()
        : throw ServerException.Bad($"'{name}' must be true or false");

    /// <summary>An integer property, or null when absent.</summary>
    public static long? Long(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n
        : throw ServerException.Bad($"'{name}' must be an integer");

    /// <summary>A string-array property, or an empty list when absent.</summary>
    public static IReadOnlyList<string> Strings(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
        {
            throw ServerException.Bad($"'{name}' must be an array of strings");
        }

        return [.. v.EnumerateArray().Select(x => x.GetString()!)];
    }
}
