namespace Grove.Config.Internal;

/// <summary>A config as the store keeps it: the body is the plain UTF-8 content, or a sealed envelope for secrets.</summary>
internal sealed record StoredConfig
{
    public required ConfigKey Key { get; init; }

    public required byte[] Body { get; init; }

    /// <summary>The body is a <see cref="SecretBox"/> envelope, not plain text.</summary>
    public bool Sealed { get; init; }

    public ConfigType Type { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? App { get; init; }

    public bool Secret { get; init; }

    /// <summary>The store revision of the change that wrote this state.</summary>
    public long Rev { get; init; }

    public long Created { get; init; }

    public string? CreatedBy { get; init; }

    public long Modified { get; init; }

    public string? ModifiedBy { get; init; }

    public string? SourceIp { get; init; }

    /// <summary>The tree object's version (0 when not read from the tree).</summary>
    public long Version { get; init; }
}
