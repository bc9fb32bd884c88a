namespace Grove.Config;

/// <summary>A search over the served configs (from memory), paged by page number as the consoles do.</summary>
public sealed record ConfigQuery
{
    /// <summary>The namespace; null searches all of them, empty is the default one.</summary>
    public string? Tenant { get; init; }

    /// <summary>dataId pattern; null or empty matches any.</summary>
    public string? DataId { get; init; }

    /// <summary>Group pattern; null or empty matches any.</summary>
    public string? Group { get; init; }

    /// <summary>Application pattern; null or empty matches any.</summary>
    public string? App { get; init; }

    /// <summary>Configs carrying all of these tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Configs whose content contains this text (case-insensitive); secrets are never matched by content.</summary>
    public string? ContentContains { get; init; }

    /// <summary>How the patterns compare.</summary>
    public ConfigMatch Match { get; init; } = ConfigMatch.Exact;

    /// <summary>Page number from 1.</summary>
    public int PageNo { get; init; } = 1;

    /// <summary>Page size, 1 to 1,000.</summary>
    public int PageSize { get; init; } = 100;
}
