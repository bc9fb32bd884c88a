using System.Net;
using System.Text.Json;

namespace Grove.Client.Internal;

/// <summary>Turns a refused answer into a <see cref="GroveApiException"/> with the server's code.</summary>
internal static class Problems
{
    private const int MaxProblemBytes = 64 * 1024;

    public static async Task<GroveApiException> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var retry = RetryAfter(response);
        string? code = null;
        string? detail = null;
        long? expected = null;
        var media = response.Content.Headers.ContentType?.MediaType;
        if (media is not null && media.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var bytes = await ReadBoundedAsync(response.Content, ct);
                using var doc = JsonDocument.Parse(bytes);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    code = Wire.OptStr(doc.RootElement, "code");
                    detail = Wire.OptStr(doc.RootElement, "detail") ?? Wire.OptStr(doc.RootElement, "title");
                    expected = Wire.OptLong(doc.RootElement, "expected");
                }
            }
            catch (JsonException)
            {
                // Not a problem document after all: fall back to the status.
            }
        }

        code ??= GroveErrorCode.FromStatus(status);
        detail ??= $"the server answered {status} {response.ReasonPhrase ?? ((HttpStatusCode)status).ToString()}";
        return new GroveApiException(code, status, detail, retry) { Expected = expected };
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - TimeProvider.System.GetUtcNow() : null;
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct)) > 0 && buffer.Length < MaxProblemBytes)
        {
            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }
}
