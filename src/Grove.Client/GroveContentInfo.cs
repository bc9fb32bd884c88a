namespace Grove.Client;

/// <summary>What the server said about a file's content: its hash (ETag), sizes, type and the range sent.</summary>
public sealed record GroveContentInfo
{
    /// <summary>True when <see cref="GroveDownloadOptions.IfNoneMatch"/> matched (HTTP 304): no content was sent.</summary>
    public bool NotModified { get; init; }

    /// <summary>The SHA-256 of the whole content, from the <c>ETag</c>.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The bytes in this answer's body (the range's length for a partial answer).</summary>
    public long? Length { get; init; }

    /// <summary>The size of the whole file.</summary>
    public long? TotalLength { get; init; }

    /// <summary>The first byte sent, for a partial (206) answer.</summary>
    public long? RangeFrom { get; init; }

    /// <summary>The last byte sent, inclusive, for a partial (206) answer.</summary>
    public long? RangeTo { get; init; }

    /// <summary>True for a partial (206) answer.</summary>
    public bool IsPartial => RangeFrom is not null;

    /// <summary>The MIME type.</summary>
    public string? ContentType { get; init; }

    /// <summary>When the file last changed.</summary>
    public DateTimeOffset? LastModified { get; init; }
}
