namespace Grove.Tree;

/// <summary>How a <see cref="TreeService"/> stores its tree.</summary>
public sealed record TreeOptions
{
    /// <summary>The data folder: index file, buckets, swap. Default <c>./grove-data</c>.</summary>
    public string DataPath { get; init; } = "grove-data";

    /// <summary>
    /// The root index: null or <c>sqlite</c> for SQLite in the data folder, <c>mem</c> for a throwaway in-memory tree,
    /// or a PostgreSQL connection (<c>postgres://user:pass@host:port/db</c> or an Npgsql connection string).
    /// </summary>
    public string? Store { get; init; }

    /// <summary>
    /// Where file content goes by default: <c>local</c> (the data folder's content-addressed bucket) or <c>pgbm</c>
    /// (chunks in PostgreSQL, shared by every node). Null picks <c>pgbm</c> for a PostgreSQL store, else <c>local</c>.
    /// </summary>
    public string? DefaultBucket { get; init; }

    /// <summary>Files up to this many bytes live inside the index row (one lookup to read). Default 64 KiB; 0 turns it off.</summary>
    public int InlineThreshold { get; init; } = 64 * 1024;

    /// <summary>A write handle expires this long after its last write (the seed's 60 s).</summary>
    public TimeSpan HandleLease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Unreferenced blobs and swap files younger than this are never removed by fsck.</summary>
    public TimeSpan OrphanGrace { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Most objects kept in the hot-object cache.</summary>
    public int CacheCapacity { get; init; } = 500_000;

    /// <summary>SQLite <c>synchronous=FULL</c> instead of NORMAL: survives power loss, not only process kills.</summary>
    public bool FullSync { get; init; }

    /// <summary>Take an exclusive lock on the data folder, so two processes never serve it at once. Default true.</summary>
    public bool LockDataFolder { get; init; } = true;

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
