namespace Grove.Config;

/// <summary>A search of the audit log (the history of all configs), newest first, paged by id.</summary>
public sealed record AuditQuery
{
    /// <summary>Only this namespace (any when null).</summary>
    public string? Tenant { get; init; }

    /// <summary>Only changes by this user (any when null).</summary>
    public string? User { get; init; }

    /// <summary>Only entries with an id below this one (the previous page's last id).</summary>
    public long? BeforeId { get; init; }

    /// <summary>Most entries, 1 to 1,000.</summary>
    public int Limit { get; init; } = 100;
}
