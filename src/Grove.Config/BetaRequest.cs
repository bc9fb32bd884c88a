using Grove.Identity;

namespace Grove.Config;

/// <summary>A gray (beta) release: content served only to the listed client IPs or labels until promoted or cancelled.</summary>
public sealed record BetaRequest
{
    /// <summary>The config.</summary>
    public required ConfigKey Key { get; init; }

    /// <summary>The beta content.</summary>
    public required string Content { get; init; }

    /// <summary>Client IPs that get the beta.</summary>
    public IReadOnlyList<string> Ips { get; init; } = [];

    /// <summary>Client labels that get the beta.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Who publishes; checked when not null.</summary>
    public Principal? Actor { get; init; }

    /// <summary>The client address, recorded in history.</summary>
    public string? ClientIp { get; init; }
}
