namespace Grove.Config;

/// <summary>A failure of a config operation, with a stable <see cref="GroveException.Code"/> from <see cref="ConfigErrorCode"/>.</summary>
public sealed class ConfigException : GroveException
{
    /// <summary>Creates the exception.</summary>
    public ConfigException(string code, string message, Exception? inner = null)
        : base(code, message, inner)
    {
    }

    /// <inheritdoc/>
    public override int Status => Code switch
    {
        ConfigErrorCode.NotFound => 404,
        ConfigErrorCode.TooLarge => 413,
        ConfigErrorCode.Conflict => 409,
        ConfigErrorCode.Forbidden => 403,
        ConfigErrorCode.RateLimited or ConfigErrorCode.Unavailable => 503,
        ConfigErrorCode.MasterKeyMismatch => 500,
        _ => 400,
    };

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object> Extensions
    {
        get
        {
            var x = new Dictionary<string, object>(StringComparer.Ordinal);
            if (Limit is { } limit)
            {
                x["limit"] = limit;
            }

            if (Line is { } line)
            {
                x["line"] = line;
            }

            if (Column is { } column)
            {
                x["column"] = column;
            }

            return x;
        }
    }

    /// <summary>For <see cref="ConfigErrorCode.TooLarge"/>: the limit in bytes.</summary>
    public long? Limit { get; init; }

    /// <summary>For <see cref="ConfigErrorCode.InvalidFormat"/>: the 1-based line of the error, when known.</summary>
    public int? Line { get; init; }

    /// <summary>For <see cref="ConfigErrorCode.InvalidFormat"/>: the 1-based column of the error, when known.</summary>
    public int? Column { get; init; }


    internal static ConfigException Invalid(string message) => new(ConfigErrorCode.InvalidArgument, message);

    internal static ConfigException NotFound(string message) => new(ConfigErrorCode.NotFound, message);

    internal static ConfigException Conflict(string message) => new(ConfigErrorCode.Conflict, message);
}
