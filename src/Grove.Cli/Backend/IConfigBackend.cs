using Grove.Client;

namespace Grove.Cli.Backend;

/// <summary>What <c>grove config</c> does, over a server (<see cref="RemoteConfigBackend"/>) or a data folder (<see cref="LocalConfigBackend"/>).</summary>
internal interface IConfigBackend : IAsyncDisposable
{
    Task<GroveConfig?> GetAsync(GroveConfigKey key, CancellationToken ct);

    Task<GroveConfig> PublishAsync(GroveConfigKey key, string content, GroveConfigPublishOptions options, CancellationToken ct);

    Task<bool> RemoveAsync(GroveConfigKey key, CancellationToken ct);

    Task<GroveConfigPage> ListAsync(GroveConfigQuery query, CancellationToken ct);

    Task<IReadOnlyList<GroveConfigHistoryEntry>> HistoryAsync(GroveConfigKey key, int limit, CancellationToken ct);

    Task<GroveConfig> RollbackAsync(GroveConfigKey key, long id, CancellationToken ct);

    Task ExportAsync(Stream zip, string tenant, string? group, CancellationToken ct);

    Task<GroveConfigImportResult> ImportAsync(Stream zip, string tenant, GroveConfigImportPolicy policy, CancellationToken ct);
}
