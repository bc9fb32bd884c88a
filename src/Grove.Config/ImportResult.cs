namespace Grove.Config;

/// <summary>What an import did. Imports are all or nothing: these counts describe one committed transaction.</summary>
/// <param name="Created">Configs created.</param>
/// <param name="Updated">Configs overwritten.</param>
/// <param name="Skipped">Existing configs left alone.</param>
public sealed record ImportResult(IReadOnlyList<ConfigKey> Created, IReadOnlyList<ConfigKey> Updated, IReadOnlyList<ConfigKey> Skipped);
