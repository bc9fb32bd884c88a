namespace Grove.Tree.Storage;

/// <summary>What a storage provider is given when it opens an index or a bucket.</summary>
public sealed class StorageContext
{
    internal StorageContext(TreeOptions options, StorageRegistry registry, OpenedStore? store)
    {
        DataPath = options.DataPath;
        Time = options.Time;
        FullSync = options.FullSync;
        Settings = options.Settings;
        Registry = registry;
        Store = store;
    }

    /// <summary>The data folder (swap files, local buckets).</summary>
    public string DataPath { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Whether writes must survive power loss, not only process kills.</summary>
    public bool FullSync { get; }

    /// <summary>
    /// Provider settings by configuration key (<c>Buckets:media:ServiceUrl</c>, <c>Redis:Configuration</c>), as the
    /// server reads them from the <c>Grove</c> section and the CLI from its environment.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>The registry the provider was found in.</summary>
    public StorageRegistry Registry { get; }

    /// <summary>The root store, or null while the root store itself is being opened.</summary>
    public OpenedStore? Store { get; }

    /// <summary>A setting's value, or null.</summary>
    public string? Setting(string key) => Settings.TryGetValue(key, out var v) ? v : null;
}
