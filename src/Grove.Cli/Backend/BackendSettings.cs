namespace Grove.Cli.Backend;

/// <summary>Where the tree is, from the global options and environment.</summary>
/// <param name="DataPath">The absolute data folder.</param>
/// <param name="Store">The store: null or <c>sqlite</c>, <c>mem</c>, or a PostgreSQL connection.</param>
public sealed record BackendSettings(string DataPath, string? Store)
{
    /// <summary>True for the throwaway in-memory store.</summary>
    public bool InMemory => string.Equals(Store?.Trim(), "mem", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the SQLite index in the data folder (the default).</summary>
    public bool Sqlite => string.IsNullOrWhiteSpace(Store) || string.Equals(Store.Trim(), "sqlite", StringComparison.OrdinalIgnoreCase);

    /// <summary>The store's name for messages.</summary>
    public string StoreName => InMemory ? "mem" : Sqlite ? "sqlite" : "postgres";
}
