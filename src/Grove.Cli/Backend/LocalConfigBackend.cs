using Grove.Client;
using Grove.Config;
using Grove.Tree;

namespace Grove.Cli.Backend;

/// <summary>
/// <c>grove config</c> over a data folder: the config engine on the local tree (as the server runs it, without
/// HTTP). The folder is locked while the command runs, so nothing else changes it meanwhile.
/// </summary>
internal sealed class LocalConfigBackend : IConfigBackend
{
    private readonly TreeService _tree;
    private readonly ConfigEngine _engine;

    private LocalConfigBackend(TreeService tree, ConfigEngine engine)
    {
        _tree = tree;
        _engine = engine;
    }

    public static async Task<LocalConfigBackend> OpenAsync(BackendSettings settings, CancellationToken ct)
    {
        var tree = await TreeService.OpenAsync(settings.TreeOptions, ct);
        try
        {
            return new LocalConfigBackend(tree, await ConfigEngine.OpenAsync(tree, new ConfigOptions { RunTimers = false }, ct));
        }
        catch
        {
            await tree.DisposeAsync();
            throw;
        }
    }

    private static ConfigKey KeyOf(GroveConfigKey k) => ConfigKey.Create(k.DataId, k.Group, k.Tenant);

    public Task<GroveConfig?> GetAsync(GroveConfigKey key, CancellationToken ct) =>
        Task.FromResult(_engine.Get(KeyOf(key)) is { } item ? ToClient(item, content: true) : null);

    public async Task<GroveConfig> PublishAsync(GroveConfigKey key, string content, GroveConfigPublishOptions options, CancellationToken ct)
    {
        var result = await _engine.PublishAsync(new PublishRequest
        {
            Key = KeyOf(key),
            Content = content,
            Type = options.Type is null ? null : ConfigTypes.Parse(options.Type),
            Description = options.Description,
            Tags = options.Tags,
            App = options.App,
            Secret = options.Secret,
            IfMd5 = options.IfMd5,
            Mode = options.CreateOnly ? PublishMode.CreateOnly : PublishMode.Upsert,
            ClientIp = "local",
        }, ct);
        return ToClient(result.Item, content: false);
    }

    public Task<bool> RemoveAsync(GroveConfigKey key, CancellationToken ct) => _engine.RemoveAsync(KeyOf(key), clientIp: "local", ct: ct);

    public Task<GroveConfigPage> ListAsync(GroveConfigQuery query, CancellationToken ct)
    {
        var page = _engine.List(new Grove.Config.ConfigQuery
        {
            Tenant = query.Tenant,
            DataId = query.DataId,
            Group = query.Group,
            Match = ConfigMatch.Contains,
            PageNo = query.PageNo,
            PageSize = query.PageSize,
        });
        return Task.FromResult(new GroveConfigPage([.. page.Items.Select(i => ToClient(i, query.WithContent))], page.Total, page.PageNo, page.PageSize));
    }

    public async Task<IReadOnlyList<GroveConfigHistoryEntry>> HistoryAsync(GroveConfigKey key, int limit, CancellationToken ct)
    {
        var page = await _engine.ListHistoryAsync(KeyOf(key), 1, limit, ct: ct);
        return [.. page.Items.Select(e => new GroveConfigHistoryEntry
        {
            Id = e.Id,
            Key = key,
            Op = OpName(e.Op),
            Md5 = e.Md5,
            Type = ConfigTypes.Name(e.Type),
            User = e.User,
            ClientIp = e.ClientIp,
            At = e.At,
        })];
    }

    public async Task<GroveConfig> RollbackAsync(GroveConfigKey key, long id, CancellationToken ct) =>
        ToClient((await _engine.RollbackAsync(KeyOf(key), id, clientIp: "local", ct: ct)).Item, content: false);

    public Task ExportAsync(Stream zip, string tenant, string? group, CancellationToken ct) =>
        _engine.ExportAsync(zip, new ExportOptions { Tenant = tenant, Group = group }, ct);

    public async Task<GroveConfigImportResult> ImportAsync(Stream zip, string tenant, GroveConfigImportPolicy policy, CancellationToken ct)
    {
        var result = await _engine.ImportAsync(zip, new ImportOptions { Tenant = tenant, Policy = (ImportPolicy)(int)policy, ClientIp = "local" }, ct);
        return new GroveConfigImportResult([.. result.Created.Select(ToClient)], [.. result.Updated.Select(ToClient)], [.. result.Skipped.Select(ToClient)]);
    }

    private static GroveConfigKey ToClient(ConfigKey k) => new(k.Group, k.DataId, k.Tenant);

    private static GroveConfig ToClient(ConfigItem i, bool content) => new()
    {
        Key = ToClient(i.Key),
        Content = content ? i.Content : null,
        Md5 = i.Md5,
        Size = i.Utf8.Length,
        Type = ConfigTypes.Name(i.Type),
        Description = i.Description,
        Tags = i.Tags,
        App = i.App,
        Secret = i.Secret,
        Revision = i.Revision,
        CreatedAt = i.CreatedAt,
        CreatedBy = i.CreatedBy,
        ModifiedAt = i.ModifiedAt,
        ModifiedBy = i.ModifiedBy,
    };

    private static string OpName(ConfigOp op) => op switch
    {
        ConfigOp.Delete => "delete",
        ConfigOp.Rollback => "rollback",
        ConfigOp.Import => "import",
        ConfigOp.BetaPublish => "beta-publish",
        ConfigOp.BetaPromote => "beta-promote",
        ConfigOp.BetaCancel => "beta-cancel",
        _ => "publish",
    };

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _tree.DisposeAsync();
    }
}
