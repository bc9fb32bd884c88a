using System.Collections.Concurrent;
using Grove.Tree.Internal;
using Grove.Tree.Internal.Sqlite;

namespace Grove.Tree;

/// <summary>
/// The tree: one namespace of objects over pluggable indexers and buckets. Open one per data folder and share it;
/// every method is thread-safe and cancellable.
/// </summary>
public sealed partial class TreeService : IAsyncDisposable
{
    private readonly TreeOptions _options;
    private readonly TimeProvider _time;
    private readonly MountContext _main;
    private readonly ObjectCache _cache;
    private readonly ConcurrentDictionary<string, MountContext> _mounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IBucket> _buckets = new(StringComparer.Ordinal);
    private readonly FileStream? _folderLock;
    private readonly TreeObject _root;

    private TreeService(TreeOptions options, IIndexer indexer, IBucket bucket, FileStream? folderLock, TreeObject root)
    {
        _options = options;
        _time = options.Time;
        _folderLock = folderLock;
        _main = new MountContext("", indexer, bucket, null);
        _buckets[bucket.Name] = bucket;
        _cache = new ObjectCache(options.CacheCapacity);
        _root = root;
        Locks = new LockManager(_time);
    }

    /// <summary>Named exclusive locks for sections of work that must not run twice at once.</summary>
    public LockManager Locks { get; }

    /// <summary>The root directory.</summary>
    public TreeObject Root => _root;

    /// <summary>Cache hits and misses of path lookups since start.</summary>
    public (long Hits, long Misses) CacheStats => (Interlocked.Read(ref _cache.Hits), Interlocked.Read(ref _cache.Misses));

    /// <summary>The options the tree was opened with.</summary>
    public TreeOptions Options => _options;

    /// <summary>Opens (creating if needed) the tree described by <paramref name="options"/>.</summary>
    public static async Task<TreeService> OpenAsync(TreeOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = options.Store?.Trim();
        var inMemory = string.Equals(store, "mem", StringComparison.OrdinalIgnoreCase);
        FileStream? folderLock = null;
        if (!inMemory)
        {
            Directory.CreateDirectory(options.DataPath);
            folderLock = options.LockDataFolder ? LockFolder(options.DataPath) : null;
        }

        IIndexer? indexer = null;
        IBucket bucket;
        try
        {
            if (inMemory)
            {
                indexer = new MemIndexer();
                bucket = new MemoryBucket("");
            }
            else
            {
                indexer = string.IsNullOrEmpty(store) || string.Equals(store, "sqlite", StringComparison.OrdinalIgnoreCase)
                    ? new SqliteIndexer(Path.Combine(options.DataPath, "index.db"), options.FullSync, options.Time)
                    : await Internal.Postgres.PostgresIndexer.OpenAsync(store, options.Time, ct);
                bucket = (options.DefaultBucket ?? (indexer is Internal.Postgres.PostgresIndexer ? "pgbm" : "local")) switch
                {
                    "local" => new LocalBucket("", options.DataPath),
                    "pgbm" when indexer is Internal.Postgres.PostgresIndexer pg =>
                        new Internal.Postgres.PgChunkBucket("", pg.Source, Path.Combine(options.DataPath, "swap"), options.Time),
                    var other => throw new TreeException(TreeErrorCode.InvalidMount, $"default bucket '{other}' needs a PostgreSQL store or is unknown; use local or pgbm"),
                };
            }

            var root = await indexer.InitializeAsync(ObjectIds.New(), options.Time.GetUtcNow().ToUnixTimeMilliseconds(), ct);
            var tree = new TreeService(options, indexer, bucket, folderLock, root with { Path = "/" });

            // Note that delivery of other nodes' changes is live before the first read can fill the cache.
            await indexer.SubscribeAsync(tree.OnRemoteChange, ct);
            return tree;
        }
        catch
        {
            if (indexer is not null)
            {
                await indexer.DisposeAsync();
            }

            folderLock?.Dispose();
            throw;
        }
    }

    private static FileStream LockFolder(string dataPath)
    {
        var file = Path.Combine(dataPath, "grove.lock");
        try
        {
            // Note that FileShare.None takes an flock on Unix; the kernel drops it when the process dies, even by kill -9.
            var fs = new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            fs.SetLength(0);
            var pid = System.Text.Encoding.UTF8.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            fs.Write(pid);
            fs.Flush();
            return fs;
        }
        catch (IOException e)
        {
            var holder = "";
            try
            {
                using var r = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                holder = new StreamReader(r).ReadToEnd().Trim();
            }
            catch (IOException)
            {
                // Unreadable while locked on some systems; the message does without the pid.
            }

            throw new TreeException(TreeErrorCode.StoreLocked,
                $"data folder '{Path.GetFullPath(dataPath)}' is in use by another Grove process{(holder.Length > 0 ? $" (pid {holder})" : "")}; stop it or talk to it with --server", e);
        }
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Raised after another node (sharing the PostgreSQL store) committed updates or deletes of these row ids, once
    /// this node's cache has dropped them; null means anything may have changed (a structural change, or a gap after
    /// a lost connection). Inserts alone are not announced. Raised on the listener's thread: handlers must be quick.
    /// </summary>
    public event Action<IReadOnlyList<string>?>? RemoteChange;

    /// <summary>Another node committed changes to these rows (null: anything may have changed).</summary>
    private void OnRemoteChange(IReadOnlyList<string>? ids)
    {
        if (ids is null)
        {
            _cache.Clear();
        }
        else
        {
            foreach (var id in ids)
            {
                _cache.InvalidateId(id);
            }
        }

        try
        {
            RemoteChange?.Invoke(ids);
        }
        catch (Exception)
        {
            // Note that a failing subscriber must not stop the listener that keeps the cache coherent.
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var m in _mounts.Values)
        {
            await m.Indexer.DisposeAsync();
        }

        _mounts.Clear();
        await _main.Indexer.DisposeAsync();
        if (_folderLock is not null)
        {
            await _folderLock.DisposeAsync();
        }
    }
}
