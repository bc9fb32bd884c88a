namespace Grove.Client;

/// <summary>What an import did (one transaction on the server: all of it or nothing).</summary>
/// <param name="Created">Configs created.</param>
/// <param name="Updated">Configs overwritten.</param>
/// <param name="Skipped">Existing configs left alone.</param>
public sealed record GroveConfigImportResult(IReadOnlyList<GroveConfigKey> Created, IReadOnlyList<GroveConfigKey> Updated, IReadOnlyList<GroveConfigKey> Skipped);
