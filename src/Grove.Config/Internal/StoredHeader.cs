namespace Grove.Config.Internal;

/// <summary>A config or beta seen while listing the store: enough to tell whether the served copy is current.</summary>
internal readonly record struct StoredHeader(ConfigKey Key, bool IsBeta, long Rev);
