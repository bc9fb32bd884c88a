namespace Grove.Client;

/// <summary>A search of configs; text patterns match as "contains, ignoring case" unless <see cref="Match"/> says otherwise.</summary>
public sealed class GroveConfigQuery
{
    /// <summary>Only this namespace (all when null; empty is the default one).</summary>
    public string? Tenant { get; set; }

    /// <summary>dataId pattern.</summary>
    public string? DataId { get; set; }

    /// <summary>Group pattern.</summary>
    public string? Group { get; set; }

    /// <summary>Application pattern.</summary>
    public string? App { get; set; }

    /// <summary>Configs carrying all of these tags.</summary>
    public IReadOnlyList<string>? Tags { get; set; }

    /// <summary>Configs whose content contains this text.</summary>
    public string? Content { get; set; }

    /// <summary><c>contains</c> (default), <c>exact</c> or <c>wildcard</c> (<c>*</c>).</summary>
    public string? Match { get; set; }

    /// <summary>Page number from 1.</summary>
    public int PageNo { get; set; } = 1;

    /// <summary>Page size, 1 to 1,000.</summary>
    public int PageSize { get; set; } = 50;

    /// <summary>Include each config's content.</summary>
    public bool WithContent { get; set; }
}
