namespace Grove.Identity;

/// <summary>Stable codes of <see cref="IdentityException"/>; the server maps them to HTTP statuses, so never rename one.</summary>
public static class IdentityErrorCode
{
    /// <summary>Bad credentials, or no valid token (401).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>Authenticated but not allowed (403).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>Too many failed logins; see <see cref="GroveException.RetryAfter"/> (429).</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>No such user, group or key (404).</summary>
    public const string NotFound = "not_found";

    /// <summary>A user or group of that name exists (409).</summary>
    public const string AlreadyExists = "already_exists";

    /// <summary>A malformed name, a too-short password, a bad argument (400).</summary>
    public const string BadRequest = "bad_request";
}
