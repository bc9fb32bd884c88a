using Grove.Client;

namespace Grove.Cli.Backend;

/// <summary><c>grove config</c> over a Grove server, through <see cref="GroveConfigClient"/>.</summary>
internal sealed class RemoteConfigBackend(GroveClient client) : IConfigBackend
{
    private readonly GroveConfigClient _configs = new(client);

    public GroveConfigClient Configs => _configs;

    public Task<GroveConfig?> GetAsync(GroveConfigKey key, CancellationToken ct) => _configs.GetAsync(key, ct);

    public Task<GroveConfig> PublishAsync(GroveConfigKey key, string content, GroveConfigPublishOptions options, CancellationToken ct) =>
        _configs.PublishAsync(key, content, options, ct);

    public Task<bool> RemoveAsync(GroveConfigKey key, CancellationToken ct) => _configs.RemoveAsync(key, ct);

    public Task<GroveConfigPage> ListAsync(GroveConfigQuery query, CancellationToken ct) => _configs.ListAsync(query, ct);

    public Task<IReadOnlyList<GroveConfigHistoryEntry>> HistoryAsync(GroveConfigKey key, int limit, CancellationToken ct) =>
        _configs.ListHistoryAsync(key, 1, limit, ct);

    public Task<GroveConfig> RollbackAsync(GroveConfigKey key, long id, CancellationToken ct) => _configs.RollbackAsync(key, id, ct);

    public Task ExportAsync(Stream zip, string tenant, string? group, CancellationToken ct) => _configs.ExportAsync(zip, tenant, group, ct);

    public Task<GroveConfigImportResult> ImportAsync(Stream zip, string tenant, GroveConfigImportPolicy policy, CancellationToken ct) =>
        _configs.ImportAsync(zip, tenant, policy, ct);

    public ValueTask DisposeAsync()
    {
        _configs.Dispose();
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
