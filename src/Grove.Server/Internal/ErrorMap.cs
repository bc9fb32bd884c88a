using Grove.Identity;
using Grove.Tree;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Internal;

/// <summary>The stable error codes and the HTTP status each maps to (docs/api.md).</summary>
internal static class ErrorMap
{
    public const string BadRequest = "bad_request";
    public const string TooLarge = "too_large";
    public const string Unavailable = "unavailable";
    public const string Internal = "internal";

    /// <summary>The status of a kernel, identity or server error code.</summary>
    public static int Status(string code) => code switch
    {
        TreeErrorCode.NotFound => StatusCodes.Status404NotFound,
        TreeErrorCode.AlreadyExists or TreeErrorCode.Conflict or TreeErrorCode.NotEmpty
            or TreeErrorCode.HandleBusy or TreeErrorCode.HandleLost or TreeErrorCode.LockTimeout => StatusCodes.Status409Conflict,
        TreeErrorCode.MountUnsupported or TreeErrorCode.NotSupported => StatusCodes.Status501NotImplemented,
        TreeErrorCode.StoreLocked or Unavailable => StatusCodes.Status503ServiceUnavailable,
        IdentityErrorCode.Unauthorized => StatusCodes.Status401Unauthorized,
        IdentityErrorCode.Forbidden => StatusCodes.Status403Forbidden,
        IdentityErrorCode.RateLimited => StatusCodes.Status429TooManyRequests,
        TooLarge => StatusCodes.Status413PayloadTooLarge,
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
        416 => "Range not satisfiable",
        429 => "Too many requests",
        501 => "Not implemented",
        503 => "Unavailable",
        _ => "Server error",
    };
}
