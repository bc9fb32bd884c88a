namespace Grove.Client;

/// <summary>
/// The server refused a call: an <c>application/problem+json</c> answer with its stable <see cref="Code"/>
/// (<see cref="GroveErrorCode"/>), HTTP <see cref="Status"/> and <see cref="Detail"/>. Network failures stay
/// <see cref="HttpRequestException"/>s; cancellation stays <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class GroveApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GroveApiException(string code, int status, string? detail, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(detail ?? code, inner)
    {
        Code = code;
        Status = status;
        Detail = detail;
        RetryAfter = retryAfter;
    }

    /// <summary>The stable error code, one of <see cref="GroveErrorCode"/> (e.g. <c>not_found</c>).</summary>
    public string Code { get; }

    /// <summary>The HTTP status of the answer (404, 409…).</summary>
    public int Status { get; }

    /// <summary>The server's human explanation, when it sent one.</summary>
    public string? Detail { get; }

    /// <summary>How long to wait before trying again (429 and 503 answers), from <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// For a task-log append refused with <c>gap</c> or <c>overlap_mismatch</c>: the next line number the server
    /// expects, from which to resend.
    /// </summary>
    public long? Expected { get; init; }

    /// <summary>True for <c>not_found</c>.</summary>
    public bool IsNotFound => Code == GroveErrorCode.NotFound;

    /// <summary>True for any 409 answer: <c>conflict</c>, <c>already_exists</c>, <c>not_empty</c>, <c>handle_busy</c>…</summary>
    public bool IsConflict => Status == 409;

    /// <summary>True for <c>forbidden</c>.</summary>
    public bool IsForbidden => Code == GroveErrorCode.Forbidden;

    /// <summary>True for <c>unauthorized</c>: sign in again.</summary>
    public bool IsUnauthorized => Code == GroveErrorCode.Unauthorized;

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().FullName}: {Code} (HTTP {Status}): {Message}";
}
