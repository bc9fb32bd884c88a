using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal;

/// <summary>The HTTP layer's own error codes and their statuses, and the titles of statuses (docs/api.md).</summary>
internal static class ErrorMap
{
    public const string BadRequest = "bad_request";
    public const string TooLarge = "too_large";
    public const string Unavailable = "unavailable";
    public const string Internal = "internal";
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>The status of a code of the HTTP layer itself; engines' errors carry their own (<see cref="GroveException.Status"/>).</summary>
    public static int Status(string code) => code switch
    {
        Unavailable => StatusCodes.Status503ServiceUnavailable,
        TooLarge => StatusCodes.Status413PayloadTooLarge,
        UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        Internal => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>A short title for a status.</summary>
    public static string Title(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        413 => "Too large",
        414 => "URI too long",
        415 => "Unsupported media type",
        416 => "Range not satisfiable",
        429 => "Too many requests",
        431 => "Request header fields too large",
        501 => "Not implemented",
        503 => "Unavailable",
        507 => "Insufficient storage",
        _ => "Server error",
    };
}
