namespace Grove.Identity;

/// <summary>A failure of an identity operation, with a stable <see cref="Code"/> from <see cref="IdentityErrorCode"/>.</summary>
public sealed class IdentityException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IdentityException(string code, string message, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        RetryAfter = retryAfter;
    }

    /// <summary>The stable error code, one of <see cref="IdentityErrorCode"/>.</summary>
    public string Code { get; }

    /// <summary>For <see cref="IdentityErrorCode.RateLimited"/>: how long until another attempt may succeed.</summary>
    public TimeSpan? RetryAfter { get; }

    internal static IdentityException Forbidden(string message) => new(IdentityErrorCode.Forbidden, message);

    internal static IdentityException BadRequest(string message) => new(IdentityErrorCode.BadRequest, message);

    internal static IdentityException NotFound(string message) => new(IdentityErrorCode.NotFound, message);

    internal static IdentityException Unauthorized() => new(IdentityErrorCode.Unauthorized, "invalid user name or password");
}
