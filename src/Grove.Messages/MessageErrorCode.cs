namespace Grove.Messages;

/// <summary>Stable codes of <see cref="MessageException"/>; clients switch on them, so never rename one.</summary>
public static class MessageErrorCode
{
    /// <summary>A bad argument: partner, type, cursor, filter, limit (400).</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>A mapping config that does not describe a usable mapping; <see cref="MessageException.Errors"/> names each field (400).</summary>
    public const string InvalidMapping = "invalid_mapping";

    /// <summary>No mapping is published for the partner and type (404).</summary>
    public const string UnknownMapping = "unknown_mapping";

    /// <summary>A body that does not parse, or an XML body with a DTD; <see cref="MessageException.Line"/>/<see cref="MessageException.Column"/> say where (400).</summary>
    public const string InvalidBody = "invalid_body";

    /// <summary>A body over the size limit; <see cref="MessageException.Limit"/> carries it (413).</summary>
    public const string TooLarge = "too_large";

    /// <summary>Fields missing or of the wrong type; <see cref="MessageException.Errors"/> lists every one (400).</summary>
    public const string ValidationFailed = "validation_failed";

    /// <summary>No such message (404).</summary>
    public const string NotFound = "not_found";

    /// <summary>The caller may not act for this partner (403).</summary>
    public const string Forbidden = "forbidden";
}
