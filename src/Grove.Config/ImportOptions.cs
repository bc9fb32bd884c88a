using Grove.Identity;

namespace Grove.Config;

/// <summary>How to import a zip.</summary>
public sealed record ImportOptions
{
    /// <summary>The namespace the configs go to (empty: the default one).</summary>
    public string Tenant { get; init; } = "";

    /// <summary>What to do with existing configs.</summary>
    public ImportPolicy Policy { get; init; } = ImportPolicy.Abort;

    /// <summary>Who imports; checked when not null.</summary>
    public Principal? Actor { get; init; }

    /// <summary>The client address, recorded in history.</summary>
    public string? ClientIp { get; init; }
}
