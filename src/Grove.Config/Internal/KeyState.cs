namespace Grove.Config.Internal;

/// <summary>What the store holds for one key right now.</summary>
internal sealed record KeyState(StoredConfig? Main, StoredBeta? Beta);
