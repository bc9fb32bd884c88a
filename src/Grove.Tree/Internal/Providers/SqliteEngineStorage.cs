using System.Data.Common;
using Grove.Tree.Internal.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grove.Tree.Internal.Providers;

/// <summary>Engine tables in the tree's SQLite file (or, for the memory store, in a shared in-memory database).</summary>
internal sealed class SqliteEngineStorage : EngineStorage, IMemoryTrim
{
    private readonly string _connectionString;
    private readonly bool _fullSync;
    private readonly SqliteConnection? _keepAlive;
    private readonly Lazy<SqliteCheckpointer>? _checkpointer;

    private SqliteEngineStorage(string connectionString, bool fullSync, SqliteConnection? keepAlive)
    {
        _connectionString = connectionString;
        _fullSync = fullSync;
        _keepAlive = keepAlive;
        _checkpointer = keepAlive is null ? new(() => new SqliteCheckpointer(connectionString, poll: true)) : null;
    }

    /// <summary>Pages a commit of an engine is counted as (its real count is not known here): about 20 counted commits make a checkpoint, and every second makes one anyway.</summary>
    private const int PagesPerCommit = 100;

    /// <summary>The bytes of the file an engine connection reads through a memory map.</summary>
    private const long MapBytes = 268_435_456;

    public override SqlFlavor Flavor => SqlFlavor.Sqlite;

    /// <summary>Engine tables in the index file of the data folder.</summary>
    public static SqliteEngineStorage ForFile(string file, bool fullSync) => new(new SqliteConnectionStringBuilder
    {
        DataSource = file,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
    }.ToString(), fullSync, null);

    /// <summary>Engine tables in memory, alive as long as the storage (the memory store).</summary>
    public static SqliteEngineStorage InMemory()
    {
        var cs = new SqliteConnectionStringBuilder
        {
            DataSource = "grove-mem-" + ObjectIds.New(),
            Mode = SqliteOpenMode.Memory,
            Cache = SqliteCacheMode.Shared,
        }.ToString();
        var keep = new SqliteConnection(cs);
        keep.Open();
        return new SqliteEngineStorage(cs, fullSync: false, keep);
    }

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        // Note that checkpoints run on the checkpointer's thread (WriteCommitted); the automatic one inside a commit,
        // which holds the engine's write turn through the file's fsync, stays only as a far backstop.
        var backstop = _checkpointer is null ? "" : $" PRAGMA wal_autocheckpoint={SqliteCheckpointer.BackstopPages};";
        _ = _checkpointer?.Value;
        // Note that engine tables grow to tens of millions of rows (records): a read maps the file's first 256 MB
        // (pages shared with the OS cache, as the tree's index does) rather than copying every page it re-reads
        // through the kernel into a connection's 2 MB cache; a larger private cache per pooled connection would
        // count against the server's memory budget once per connection.
        var reads = _keepAlive is null ? $" PRAGMA mmap_size={MapBytes};" : "";
        await ExecAsync(c, null, $"PRAGMA busy_timeout=10000; PRAGMA synchronous={(_fullSync ? "FULL" : "NORMAL")};{backstop}{reads}", ct);
        return c;
    }

    /// <summary>Closes the pool's idle connections (each with its page cache); connections in use return to a fresh pool.</summary>
    public ValueTask TrimAsync(CancellationToken ct)
    {
        if (_keepAlive is null)
        {
            using var c = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(c);
        }

        return ValueTask.CompletedTask;
    }

    protected override Task<DbTransaction> BeginMigrationAsync(DbConnection connection, string engine, CancellationToken ct) =>
        // Note that an immediate transaction takes the write lock at once, so two migrations never interleave.
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override void WriteCommitted() => _checkpointer?.Value.Committed(PagesPerCommit);

    public override ValueTask DisposeAsync()
    {
        if (_checkpointer is { IsValueCreated: true })
        {
            _checkpointer.Value.Dispose();
        }

        _keepAlive?.Dispose();
        return ValueTask.CompletedTask;
    }
}
