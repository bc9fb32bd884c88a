using Grove.Identity;

namespace Grove.Config;

/// <summary>What to export.</summary>
public sealed record ExportOptions
{
    /// <summary>The namespace to export (empty: the default one).</summary>
    public string Tenant { get; init; } = "";

    /// <summary>Only these configs (all of the namespace when null).</summary>
    public IReadOnlyList<ConfigKey>? Keys { get; init; }

    /// <summary>Only configs of this application (any when null).</summary>
    public string? App { get; init; }

    /// <summary>Only the configs served at these revisions (the ids Nacos's console sends with an export); any when null.</summary>
    public IReadOnlySet<long>? Revisions { get; init; }

    /// <summary>Only this group (any when null).</summary>
    public string? Group { get; init; }

    /// <summary>
    /// Write secrets in plain text (for moving them to another server). By default they are exported sealed, and
    /// only a server with the same master key can import them.
    /// </summary>
    public bool SecretsInPlainText { get; init; }

    /// <summary>Who exports; checked when not null.</summary>
    public Principal? Actor { get; init; }
}
