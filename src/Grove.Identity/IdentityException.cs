namespace Grove.Identity;

/// <summary>A failure of an identity operation, with a stable <see cref="GroveException.Code"/> from <see cref="IdentityErrorCode"/>.</summary>
public sealed class IdentityException : GroveException
{
    /// <summary>Creates the exception; <paramref name="retryAfter"/> for <see cref="IdentityErrorCode.RateLimited"/>.</summary>
    public IdentityException(string code, string message, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(code, message, inner) => RetryAfter = retryAfter;

    /// <inheritdoc/>
    public override int Status => Code switch
    {
        IdentityErrorCode.Unauthorized => 401,
        IdentityErrorCode.Forbidden => 403,
        IdentityErrorCode.RateLimited => 429,
        IdentityErrorCode.NotFound => 404,
        IdentityErrorCode.AlreadyExists => 409,
        _ => 400,
    };

    internal static IdentityException Forbidden(string message) => new(IdentityErrorCode.Forbidden, message);

    internal static IdentityException BadRequest(string message) => new(IdentityErrorCode.BadRequest, message);

    internal static IdentityException NotFound(string message) => new(IdentityErrorCode.NotFound, message);

    internal static IdentityException Unauthorized() => new(IdentityErrorCode.Unauthorized, "invalid user name or password");
}
