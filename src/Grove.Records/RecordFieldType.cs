namespace Grove.Records;

/// <summary>A mapped field's type (seed 003's field types).</summary>
public enum RecordFieldType
{
    /// <summary>Text.</summary>
    String,

    /// <summary>32-bit integer.</summary>
    Integer,

    /// <summary>64-bit integer.</summary>
    Long,

    /// <summary>Single-precision number.</summary>
    Float,

    /// <summary>Double-precision number.</summary>
    Double,

    /// <summary>True or false.</summary>
    Boolean,

    /// <summary>A JSON object, stored as text.</summary>
    Object,

    /// <summary>An array of strings, stored as JSON text.</summary>
    SArray,

    /// <summary>A JSON array, stored as text.</summary>
    List,

    /// <summary>Any JSON value, stored as text.</summary>
    JSON,

    /// <summary>
    /// Bytes, stored as a BLOB (PostgreSQL <c>bytea</c>); a base64 string in JSON, NDJSON and CSV. Not a key, not indexed,
    /// not sorted on; a filter can only ask whether it is null. Grove's own addition to seed 003's types (message bodies).
    /// </summary>
    Bytes,
}
