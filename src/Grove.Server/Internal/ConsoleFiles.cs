using Microsoft.AspNetCore.StaticFiles;

namespace Grove.Server.Internal;

/// <summary>
/// Headers of the console's static files: always revalidated (an upgraded server never mixes old and new modules;
/// unchanged files cost a 304), and a policy that lets the console load only its own scripts and styles, talk only
/// to its own origin, and never be framed by another site.
/// </summary>
internal static class ConsoleFiles
{
    public const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void PrepareResponse(StaticFileResponseContext file)
    {
        var headers = file.Context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
