namespace Grove.Tree;

/// <summary>What <see cref="TreeService.ProbeAsync"/> found out about a store without opening it.</summary>
/// <param name="Store">The parsed store string.</param>
/// <param name="UsesDataFolder">Whether the store keeps files in the data folder (false for the memory store).</param>
/// <param name="Missing">Whether it certainly holds no tree yet (a data folder without an index).</param>
public sealed record StoreProbe(StoreSpec Store, bool UsesDataFolder, bool Missing);
