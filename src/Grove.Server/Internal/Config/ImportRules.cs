using Grove.Config;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal.Config;

/// <summary>What Grove's and Nacos's import endpoints share: the conflict policy's names and the size of a zip.</summary>
internal static class ImportRules
{
    /// <summary>The largest import body (the zip, or the multipart form holding it).</summary>
    public const long MaxBody = 64L << 20;

    /// <summary>The policy named in any case (Grove's clients send <c>skip</c>, Nacos's <c>SKIP</c>); absent is abort.</summary>
    public static ImportPolicy Policy(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        null or "" or "ABORT" => ImportPolicy.Abort,
        "SKIP" => ImportPolicy.Skip,
        "OVERWRITE" => ImportPolicy.Overwrite,
        _ => throw new ConfigException(ConfigErrorCode.InvalidArgument, $"policy is abort, skip or overwrite, not '{ConfigArgs.Shorten(name ?? "")}'"),
    };

    /// <summary>Refuses a declared length over <see cref="MaxBody"/> before anything is read.</summary>
    public static void CheckDeclaredLength(HttpRequest request)
    {
        if (request.ContentLength > MaxBody)
        {
            throw new ConfigException(ConfigErrorCode.TooLarge, $"the import has {request.ContentLength} bytes; imports are limited to {MaxBody} bytes") { Limit = MaxBody };
        }
    }
}
