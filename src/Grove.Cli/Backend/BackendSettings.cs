namespace Grove.Cli.Backend;

/// <summary>Where the tree is, from the global options and environment.</summary>
/// <param name="DataPath">The absolute data folder.</param>
/// <param name="Store">The store: null or <c>sqlite</c>, <c>mem</c>, or a PostgreSQL connection.</param>
/// <param name="Server">A Grove server to talk to instead (<c>--server</c>, <c>GROVE_SERVER</c>); null for the local data folder.</param>
public sealed record BackendSettings(string DataPath, string? Store, Uri? Server = null)
{
    /// <summary>True when the commands talk to a server over HTTP.</summary>
    public bool Remote => Server is not null;

    /// <summary>True for the throwaway in-memory store.</summary>
    public bool InMemory => string.Equals(Store?.Trim(), "mem", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the SQLite index in the data folder (the default).</summary>
    public bool Sqlite => string.IsNullOrWhiteSpace(Store) || string.Equals(Store.Trim(), "sqlite", StringComparison.OrdinalIgnoreCase);

    /// <summary>The store's name for messages.</summary>
    public string StoreName => InMemory ? "mem" : Sqlite ? "sqlite" : "postgres";
}
