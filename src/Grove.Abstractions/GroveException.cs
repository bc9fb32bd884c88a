namespace Grove;

/// <summary>
/// The base of every Grove engine's errors (tree, identity, config, logs, and the engines that come after them): a
/// stable <see cref="Code"/> that clients may switch on, the HTTP <see cref="Status"/> it maps to, and the extra
/// members a problem+json answer carries. The server turns any of them into one problem+json shape; the CLI prints
/// <c>grove: code: message</c>. Codes are never renamed.
/// </summary>
public abstract class GroveException : Exception
{
    private static readonly IReadOnlyDictionary<string, object> NoExtensions = new Dictionary<string, object>();

    /// <summary>Creates the exception.</summary>
    protected GroveException(string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
    }

    /// <summary>The stable error code (snake_case).</summary>
    public string Code { get; }

    /// <summary>The HTTP status this error maps to.</summary>
    public abstract int Status { get; }

    /// <summary>When a retry may succeed, for 429 and 503 answers (<c>Retry-After</c>); null when unknown.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// Extra members of the problem+json answer (<c>limit</c>, <c>line</c>, <c>column</c>, <c>expected</c>…): names in
    /// lower camel case, values numbers, strings or booleans.
    /// </summary>
    public virtual IReadOnlyDictionary<string, object> Extensions => NoExtensions;
}
