namespace Grove.Config;

/// <summary>A failure of a config operation, with a stable <see cref="Code"/> from <see cref="ConfigErrorCode"/>.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigException(string code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    /// <summary>The stable error code, one of <see cref="ConfigErrorCode"/>.</summary>
    public string Code { get; }

    /// <summary>For <see cref="ConfigErrorCode.TooLarge"/>: the limit in bytes.</summary>
    public long? Limit { get; init; }

    /// <summary>For <see cref="ConfigErrorCode.InvalidFormat"/>: the 1-based line of the error, when known.</summary>
    public int? Line { get; init; }

    /// <summary>For <see cref="ConfigErrorCode.InvalidFormat"/>: the 1-based column of the error, when known.</summary>
    public int? Column { get; init; }

    /// <summary>For <see cref="ConfigErrorCode.RateLimited"/> and <see cref="ConfigErrorCode.Unavailable"/>: when to try again (randomized).</summary>
    public TimeSpan? RetryAfter { get; init; }

    internal static ConfigException Invalid(string message) => new(ConfigErrorCode.InvalidArgument, message);

    internal static ConfigException NotFound(string message) => new(ConfigErrorCode.NotFound, message);

    internal static ConfigException Conflict(string message) => new(ConfigErrorCode.Conflict, message);
}
