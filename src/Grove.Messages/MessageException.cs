namespace Grove.Messages;

/// <summary>A failure of a message operation, with a stable <see cref="GroveException.Code"/> from <see cref="MessageErrorCode"/>.</summary>
public sealed class MessageException : GroveException
{
    /// <summary>Creates the exception.</summary>
    public MessageException(string code, string message, Exception? inner = null)
        : base(code, message, inner)
    {
    }

    /// <inheritdoc/>
    public override int Status => Code switch
    {
        MessageErrorCode.UnknownMapping or MessageErrorCode.NotFound => 404,
        MessageErrorCode.TooLarge => 413,
        MessageErrorCode.Forbidden => 403,
        _ => 400,
    };

    /// <summary>Every failing field, as <c>field: why</c> (validation of a message or of a mapping).</summary>
    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    /// <summary>For <see cref="MessageErrorCode.TooLarge"/>: the limit in bytes.</summary>
    public long? Limit { get; init; }

    /// <summary>For <see cref="MessageErrorCode.InvalidBody"/>: the 1-based line of the error, when known.</summary>
    public int? Line { get; init; }

    /// <summary>For <see cref="MessageErrorCode.InvalidBody"/>: the 1-based column (JSON: byte in line) of the error, when known.</summary>
    public int? Column { get; init; }

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

            if (Errors.Count > 0)
            {
                // Note that problem members are plain values: the fields as one string, the messages joined by lines.
                x["fields"] = string.Join(",", Errors.Select(e => e.Field).Distinct(StringComparer.Ordinal));
                x["errors"] = string.Join("\n", Errors.Select(e => e.ToString()));
            }

            return x;
        }
    }

    internal static MessageException Invalid(string message) => new(MessageErrorCode.InvalidArgument, message);

    internal static MessageException NotFound(string message) => new(MessageErrorCode.NotFound, message);

    internal static MessageException Failed(string code, string summary, IReadOnlyList<FieldError> errors) =>
        new(code, summary + ": " + string.Join("; ", errors.Take(20).Select(e => e.ToString())) + (errors.Count > 20 ? $"; and {errors.Count - 20} more" : ""))
        {
            Errors = errors,
        };
}

/// <summary>One failing field: its name (or path in a mapping) and why.</summary>
/// <param name="Field">The internal name, <c>detail[3].qty</c> for a detail row, or a mapping path such as <c>fields[2].type</c>.</param>
/// <param name="Message">Why it fails.</param>
public sealed record FieldError(string Field, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Field + ": " + Message;
}
