namespace Grove.Config.Internal;

/// <summary>A history entry as the store keeps it (body sealed for secrets; null when only listed).</summary>
internal sealed record HistoryRecord
{
    public long Id { get; init; }

    public required ConfigKey Key { get; init; }

    public required ConfigOp Op { get; init; }

    public byte[]? Body { get; init; }

    public bool Sealed { get; init; }

    public string? Md5 { get; init; }

    public ConfigType Type { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? App { get; init; }

    public bool Secret { get; init; }

    public IReadOnlyList<string> BetaIps { get; init; } = [];

    public IReadOnlyList<string> BetaLabels { get; init; } = [];

    public string? User { get; init; }

    public string? SourceIp { get; init; }

    public long At { get; init; }
}
