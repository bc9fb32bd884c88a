using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal.Config;

/// <summary>Runs a config endpoint and writes any refusal in the protocol's own error format.</summary>
internal static class Guarded
{
    /// <summary>Runs <paramref name="body"/>; a refusal (<see cref="ConfigError.Of"/>) is written by <paramref name="write"/>, anything else is left to the error middleware.</summary>
    public static async Task RunAsync(HttpContext ctx, Func<Task> body, Func<ConfigError, Task> write)
    {
        try
        {
            await body();
        }
        catch (Exception e) when (!ctx.RequestAborted.IsCancellationRequested && ConfigError.Of(e) is { } error)
        {
            await write(error);
        }
    }

    /// <summary>
    /// The common headers of Diamond's and Nacos's client answers: no caching, and (since content is whatever an
    /// editor stored, HTML included) never run as a page of the server's origin.
    /// </summary>
    public static void NoCache(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.Pragma = "no-cache";
        response.Headers.Expires = "Thu, 01 Jan 1970 00:00:00 GMT";
        response.Headers.CacheControl = "no-cache,no-store";
    }
}
