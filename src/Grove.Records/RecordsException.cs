namespace Grove.Records;

/// <summary>An error of the records engine, with a stable <see cref="GroveException.Code"/> from <see cref="RecordsErrorCode"/>.</summary>
public sealed class RecordsException : GroveException
{
    private readonly Dictionary<string, object> _extensions = [];

    /// <summary>Creates the exception.</summary>
    public RecordsException(string code, string message, string? field = null, Exception? inner = null)
        : base(code, message, inner)
    {
        Field = field;
        if (field is not null)
        {
            _extensions["field"] = field;
        }
    }

    /// <summary>The mapped field (or mapping member) the error is about, when there is one.</summary>
    public string? Field { get; }

    /// <inheritdoc/>
    public override int Status => Code switch
    {
        RecordsErrorCode.NotFound => 404,
        RecordsErrorCode.UnsupportedMediaType => 415,
        RecordsErrorCode.DuplicateKey or RecordsErrorCode.Conflict or RecordsErrorCode.DestructiveChange or RecordsErrorCode.Busy => 409,
        _ => 400,
    };

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object> Extensions => _extensions;

    internal static RecordsException Mapping(string message, string? field = null) => new(RecordsErrorCode.InvalidMapping, message, field);

    internal static RecordsException Query(string message, string? field = null) => new(RecordsErrorCode.InvalidQuery, message, field);

    internal static RecordsException Argument(string message, string? field = null) => new(RecordsErrorCode.InvalidArgument, message, field);

    internal static RecordsException SetNotFound(string set) => new(RecordsErrorCode.NotFound, $"no record set '{set}'");
}
