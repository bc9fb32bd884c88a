namespace Grove.Config.Internal;

/// <summary>A gray release as the store keeps it.</summary>
internal sealed record StoredBeta
{
    public required ConfigKey Key { get; init; }

    public required byte[] Body { get; init; }

    public bool Sealed { get; init; }

    public IReadOnlyList<string> Ips { get; init; } = [];

    public IReadOnlyList<string> Labels { get; init; } = [];

    public long Rev { get; init; }

    public long Modified { get; init; }

    public string? ModifiedBy { get; init; }

    public string? SourceIp { get; init; }

    public long Version { get; init; }
}
