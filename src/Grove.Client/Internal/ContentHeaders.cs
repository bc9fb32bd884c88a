using System.Net;

namespace Grove.Client.Internal;

/// <summary>Reads a download's headers into a <see cref="GroveContentInfo"/>.</summary>
internal static class ContentHeaders
{
    public static GroveContentInfo Read(HttpResponseMessage response)
    {
        var headers = response.Content.Headers;
        var range = headers.ContentRange;
        var partial = response.StatusCode == HttpStatusCode.PartialContent && range is { HasRange: true };
        return new GroveContentInfo
        {
            NotModified = response.StatusCode == HttpStatusCode.NotModified,
            Sha256 = Sha(response.Headers.ETag?.Tag),
            Length = headers.ContentLength,
            TotalLength = partial ? range!.Length : headers.ContentLength,
            RangeFrom = partial ? range!.From : null,
            RangeTo = partial ? range!.To : null,
            ContentType = headers.ContentType?.MediaType,
            LastModified = headers.LastModified,
        };
    }

    /// <summary>The hash inside a strong entity tag: <c>"abc…"</c> → <c>abc…</c>.</summary>
    public static string? Sha(string? tag) =>
        tag is { Length: >= 2 } t && t[0] == '"' && t[^1] == '"' ? t[1..^1] : tag;

    /// <summary>A hash as a strong entity tag; <c>*</c> stays as is.</summary>
    public static string Tag(string sha) => sha == "*" ? sha : "\"" + sha.Trim('"') + "\"";
}
