namespace Grove.Tree;

/// <summary>How a <see cref="TreeService"/> stores its tree.</summary>
public sealed record TreeOptions
{
    /// <summary>The data folder: index file, buckets, swap. Default <c>./grove-data</c>.</summary>
    public string DataPath { get; init; } = "grove-data";

    /// <summary>
    /// The root store (<see cref="StoreSpec"/>): null or <c>sqlite</c> for SQLite in the data folder, <c>mem</c> for a
    /// throwaway in-memory tree, a PostgreSQL connection (<c>postgres://user:pass@host:port/db</c> or an Npgsql
    /// connection string), or the kind of a provider added to <see cref="Storage"/>.
    /// </summary>
    public string? Store { get; init; }

    /// <summary>
    /// The storage kind of the default bucket: <c>local</c> (the data folder's content-addressed bucket), <c>pgbm</c>
    /// (chunks in PostgreSQL, shared by every node) or a provider's, with its setting as <c>kind(setting)</c> or
    /// <c>kind:setting</c> (<c>s3(media)</c>: the object-storage bucket configured as <c>Buckets:media</c>). Null takes
    /// the store's own default.
    /// </summary>
    public string? DefaultBucket { get; init; }

    /// <summary>The storage providers to use; null for <see cref="StorageRegistry.Default"/> (the built-ins).</summary>
    public StorageRegistry? Storage { get; init; }

    /// <summary>Settings of storage providers by configuration key (<see cref="StorageContext.Settings"/>).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Files up to this many bytes live inside the index row (one lookup to read). Default 64 KiB; 0 turns it off.</summary>
    public int InlineThreshold { get; init; } = 64 * 1024;

    /// <summary>A write handle expires this long after its last write (the seed's 60 s).</summary>
    public TimeSpan HandleLease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Unreferenced blobs and swap files younger than this are never removed by fsck.</summary>
    public TimeSpan OrphanGrace { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often unreferenced content past <see cref="OrphanGrace"/> is reclaimed in the background (one node at a
    /// time). Default 10 minutes; zero turns it off (fsck still reclaims).
    /// </summary>
    public TimeSpan ReclaimInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Most objects kept in the hot-object cache.</summary>
    public int CacheCapacity { get; init; } = 500_000;

    /// <summary>SQLite <c>synchronous=FULL</c> instead of NORMAL: survives power loss, not only process kills.</summary>
    public bool FullSync { get; init; }

    /// <summary>Take an exclusive lock on the data folder, so two processes never serve it at once. Default true.</summary>
    public bool LockDataFolder { get; init; } = true;

    /// <summary>
    /// How many of the newest revisions the change feed keeps (<see cref="TreeService.ChangesAsync"/>); a reader
    /// further behind is told to resync. Default 100,000; 0 turns the change feed off.
    /// </summary>
    public long ChangeRetention { get; init; } = 100_000;

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
