namespace Grove.Records;

/// <summary>The stable codes of <see cref="RecordsException"/>; never renamed.</summary>
public static class RecordsErrorCode
{
    /// <summary>A mapping is malformed (unknown type, no primary key, invalid identifier, duplicate field…): 400.</summary>
    public const string InvalidMapping = "invalid_mapping";

    /// <summary>A changed mapping would drop or alter data (a removed field, a changed type or key): 409.</summary>
    public const string DestructiveChange = "destructive_change";

    /// <summary>No such record set or row: 404.</summary>
    public const string NotFound = "not_found";

    /// <summary>A row with the same primary key exists: 409.</summary>
    public const string DuplicateKey = "duplicate_key";

    /// <summary>The row's version field does not hold the expected version (optimistic update): 409.</summary>
    public const string Conflict = "conflict";

    /// <summary>A filter, sort or projection names an unmapped field or is malformed: 400.</summary>
    public const string InvalidQuery = "invalid_query";

    /// <summary>A row or argument is malformed (a value of the wrong type, a missing key…): 400.</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>A bulk body of a type other than NDJSON or CSV: 415.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>Another node rotates this record set now: 409.</summary>
    public const string Busy = "busy";
}
