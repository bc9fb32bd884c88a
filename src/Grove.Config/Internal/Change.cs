namespace Grove.Config.Internal;

/// <summary>
/// One change of one key, committed with its history entry and the revision counter in one transaction. The store
/// stamps revision, times and versions; <see cref="Main"/>/<see cref="Beta"/> null with the Sets flag means delete.
/// </summary>
internal sealed record Change
{
    public required ConfigKey Key { get; init; }

    public required HistoryRecord History { get; init; }

    public bool SetsMain { get; init; }

    public StoredConfig? Main { get; init; }

    public bool SetsBeta { get; init; }

    public StoredBeta? Beta { get; init; }
}
