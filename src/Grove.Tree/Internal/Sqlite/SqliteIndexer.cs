using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Grove.Tree.Internal.Sqlite;

/// <summary>
/// The embedded default indexer: one SQLite file in WAL mode, one writer connection that groups concurrent
/// commits into shared transactions, and a pool of reader connections with prepared statements.
/// </summary>
internal sealed partial class SqliteIndexer : IIndexer
{
    private const int MaxReaders = 64;

    /// <summary>Reads map up to 256 MiB of the file (fewer copies than read(2) through the page cache).</summary>
    private const string MapPragma = "PRAGMA mmap_size=268435456;";

    /// <summary>Point look-ups read a few pages each: 2 MiB keeps the upper levels of the indexes they walk.</summary>
    private const string PointPragma = "PRAGMA cache_size=-2048; PRAGMA mmap_size=0;";
    private readonly string _connectionString;
    private readonly ConcurrentBag<SqliteReader> _readers = [];
    private readonly SemaphoreSlim _readerSlots = new(MaxReaders, MaxReaders);
    private readonly TimeProvider _time;
    private readonly SqliteCheckpointer _checkpointer;

    static SqliteIndexer() => SQLitePCL.Batteries_V2.Init();

    private readonly SqliteFileVersion _version;

    public SqliteIndexer(string file, bool fullSync, TimeProvider time, SqliteFileVersion? version = null)
    {
        _time = time;
        _version = version ?? new SqliteFileVersion();
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        }.ToString();
        _writer = OpenConnection(_connectionString, readOnly: false);
        Exec(_writer, $"PRAGMA synchronous={(fullSync ? "FULL" : "NORMAL")}; PRAGMA wal_autocheckpoint={SqliteCheckpointer.BackstopPages};");
        Exec(_writer, SqliteSchema.Create);
        PrepareWriter();
        _checkpointer = new SqliteCheckpointer(_connectionString);
    }

    public string Kind => "sqlite";

    public IndexerCapabilities Capabilities =>
        IndexerCapabilities.CustomMeta | IndexerCapabilities.Queries | IndexerCapabilities.KeysetListing | IndexerCapabilities.Transactions
        | IndexerCapabilities.InlineContent | IndexerCapabilities.VersionedUpdates | IndexerCapabilities.ExpressionIndexes | IndexerCapabilities.SqlStatements;

    /// <summary>
    /// A connection to the index file; <paramref name="mapped"/> false gives one for point look-ups, which reads through
    /// a small private cache instead of the file map (see <see cref="SqliteReader"/>).
    /// </summary>
    internal static SqliteConnection OpenConnection(string cs, bool readOnly, bool mapped = true)
    {
        var c = new SqliteConnection(cs);
        c.Open();
        // Note that only the writer sets WAL mode (it persists in the file): on a reader the pragma takes a lock.
        Exec(c, (readOnly ? "" : "PRAGMA journal_mode=WAL; ") + "PRAGMA busy_timeout=10000; PRAGMA temp_store=MEMORY; "
            + (mapped ? "PRAGMA cache_size=-65536; " + MapPragma : PointPragma));
        if (readOnly)
        {
            Exec(c, "PRAGMA query_only=1;");
        }

        c.CreateFunction("regexp", (string pattern, object? input) => RegexCache.IsMatch(pattern, input));
        return c;
    }

    internal static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private T Read<T>(Func<SqliteReader, T> work)
    {
        // Note that reader connections are never closed while the index is open: opening and closing them under load
        // collided with the writer and stalled reads for a second at a time. At most MaxReaders exist; a read beyond
        // that waits for one.
        _readerSlots.Wait();
        if (!_readers.TryTake(out var r))
        {
            r = new SqliteReader(_connectionString);
        }

        var version = _version.Value;
        try
        {
            return work(r);
        }
        finally
        {
            r.Read(version);
            _readers.Add(r);
            _readerSlots.Release();
        }
    }

    private static TreeObject? One(SqliteCommand cmd)
    {
        using var rd = cmd.ExecuteReader();
        return rd.Read() ? RowCodec.Read(rd, withInline: true) : null;
    }

    private static List<TreeObject> Many(SqliteCommand cmd, bool withInline = false)
    {
        var list = new List<TreeObject>();
        using var rd = cmd.ExecuteReader();
        while (rd.Read())
        {
            list.Add(RowCodec.Read(rd, withInline));
        }

        return list;
    }

    public Task<TreeObject> InitializeAsync(string rootId, long now, CancellationToken ct) => RootRow.EnsureAsync(this, rootId, now, ct);

    public ValueTask<TreeObject?> GetAsync(string id, CancellationToken ct) => ValueTask.FromResult(Read(r =>
    {
        var cmd = r.PointCommand(_version.Value, byName: false);
        cmd.Parameters[0].Value = id;
        return One(cmd);
    }));

    public ValueTask<TreeObject?> GetChildAsync(string parentId, string name, CancellationToken ct) => ValueTask.FromResult(Read(r =>
    {
        var cmd = r.PointCommand(_version.Value, byName: true);
        cmd.Parameters[0].Value = parentId;
        cmd.Parameters[1].Value = name;
        return One(cmd);
    }));

    public Task<IReadOnlyList<TreeObject>> ListAsync(string parentId, string? afterName, int limit, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<TreeObject>>(Read(r =>
        {
            var cmd = afterName is null ? r.ListFirst : r.ListAfter;
            cmd.Parameters[0].Value = parentId;
            if (afterName is null)
            {
                cmd.Parameters[1].Value = limit;
            }
            else
            {
                cmd.Parameters[1].Value = afterName;
                cmd.Parameters[2].Value = limit;
            }

            return Many(cmd);
        }));

    public Task<bool> HasChildrenAsync(string parentId, CancellationToken ct) => Task.FromResult(Read(r =>
    {
        using var cmd = r.Connection.CreateCommand();
        cmd.CommandText = "SELECT EXISTS(SELECT 1 FROM obj WHERE pid=@a)";
        cmd.Parameters.AddWithValue("@a", parentId);
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }));

    public Task<IReadOnlyList<TreeObject>> ExpiredAsync(long now, int limit, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<TreeObject>>(Read(r =>
        {
            using var cmd = r.Connection.CreateCommand();
            cmd.CommandText = SqliteSchema.Select + " FROM obj WHERE expi IS NOT NULL AND expi<=@now ORDER BY expi LIMIT @n";
            cmd.Parameters.AddWithValue("@now", now);
            cmd.Parameters.AddWithValue("@n", limit);
            return Many(cmd);
        }));

    public Task<IReadOnlyList<TreeObject>> ContentRowsAsync(string? afterId, int limit, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<TreeObject>>(Read(r =>
        {
            using var cmd = r.Connection.CreateCommand();
            cmd.CommandText = SqliteSchema.Select + " FROM obj WHERE id>@a AND race=1 AND sha256 IS NOT NULL AND inl IS NULL ORDER BY id LIMIT @n";
            cmd.Parameters.AddWithValue("@a", afterId ?? "");
            cmd.Parameters.AddWithValue("@n", limit);
            return Many(cmd);
        }));

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync();
        _disposed = true;
        _writer.Dispose();
        _writeLock.Release();
        _checkpointer.Dispose();
        while (_readers.TryTake(out var r))
        {
            r.Dispose();
        }
    }
}
