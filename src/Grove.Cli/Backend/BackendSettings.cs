using Grove.Tree;
using Grove.Tree.Storage;

namespace Grove.Cli.Backend;

/// <summary>Where the tree is, from the global options and environment.</summary>
/// <param name="DataPath">The absolute data folder.</param>
/// <param name="Store">The store string (<see cref="StoreSpec"/>): null for SQLite in the data folder.</param>
/// <param name="Server">A Grove server to talk to instead (<c>--server</c>, <c>GROVE_SERVER</c>); null for the local data folder.</param>
public sealed record BackendSettings(string DataPath, string? Store, Uri? Server = null)
{
    /// <summary>True when the commands talk to a server over HTTP.</summary>
    public bool Remote => Server is not null;

    /// <summary>Local mode only: the user to act as (<c>--as</c>); null for the data folder's owner.</summary>
    public string? As { get; init; }

    /// <summary>The storage providers' settings (<see cref="StorageContext.Settings"/>), from <c>Grove__…</c> environment variables.</summary>
    public IReadOnlyDictionary<string, string?> Providers { get; init; } = new Dictionary<string, string?>();

    /// <summary>The parsed store.</summary>
    public StoreSpec Spec => StoreSpec.Parse(Store);

    /// <summary>The store's kind for messages (<c>sqlite</c>, <c>postgres</c>, <c>mem</c>…).</summary>
    public string StoreName => Spec.Kind;

    /// <summary>The tree options of these settings.</summary>
    public TreeOptions TreeOptions => new()
    {
        DataPath = DataPath,
        Store = Store,
        Storage = Grove.Server.GroveStorage.Registry,
        Settings = Providers,
        DefaultBucket = Providers.TryGetValue("DefaultBucket", out var bucket) ? bucket : null,
    };

    /// <summary>What the store is, without opening it.</summary>
    public Task<StoreProbe> ProbeAsync(CancellationToken ct) => TreeService.ProbeAsync(TreeOptions, ct);

    /// <summary>Throws <c>not_initialized</c> when the store certainly holds no tree yet, naming <paramref name="hint"/>.</summary>
    public async Task EnsureInitializedAsync(CancellationToken ct, string hint = "run 'grove init' or pass --data")
    {
        if ((await ProbeAsync(ct)).Missing)
        {
            throw new CliException(CliErrorCodes.NotInitialized, $"no Grove data in '{DataPath}'; {hint}");
        }
    }
}
