using System.Data;
using System.Data.Common;
using Grove.Tree.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Grove.Records.Internal;

/// <summary>Connections and transactions on the tree's database, and the mapping of its constraint errors.</summary>
internal sealed class Db(EngineStorage storage, TimeProvider time) : IAsyncDisposable
{
    /// <summary>How long a writer waits for its turn on SQLite (as long as the connections' busy_timeout).</summary>
    private static readonly TimeSpan WriteWait = TimeSpan.FromSeconds(10);

    // Note that SQLite has one write lock and its busy handler polls for it with growing sleeps (up to 100 ms) and
    // no order, so a rotator committing batch after batch could starve an insert; this engine's writers queue here
    // in order instead, and each gets the lock as soon as the one before it commits.
    private readonly SemaphoreSlim? _writers = storage.Flavor == SqlFlavor.Sqlite ? new(1, 1) : null;

    public EngineStorage Storage => storage;

    private readonly ReadLanes? _lanes = storage.Flavor == SqlFlavor.Sqlite ? new(storage, time) : null;

    private int _waiting;

    /// <summary>The page cache of a SQLite write session: 64 MiB.</summary>
    private const string WriteCachePragma = "PRAGMA cache_size=-65536";

    /// <summary>Whether a writer of this engine holds SQLite's write turn or waits for it (never on PostgreSQL, whose writers do not queue).</summary>
    public bool WritersBusy => _writers is { CurrentCount: 0 } || Volatile.Read(ref _waiting) > 0;

    /// <summary>How many of this engine's writers wait for their turn now.</summary>
    public int WritersWaiting => Volatile.Read(ref _waiting);

    public SqlFlavor Flavor => storage.Flavor;

    public bool IsPostgres => storage.Flavor == SqlFlavor.Postgres;

    /// <summary>A write transaction (SQLite: BEGIN IMMEDIATE, so writers queue instead of failing on upgrade).</summary>
    public async Task<Session> BeginWriteAsync(CancellationToken ct)
    {
        if (_writers is not null)
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                if (!await _writers.WaitAsync(WriteWait, ct))
                {
                    throw new RecordsException(RecordsErrorCode.Busy, $"no turn to write within {WriteWait.TotalSeconds:0} s: the database is busy");
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        try
        {
            var c = await storage.OpenConnectionAsync(ct);
            try
            {
                if (_writers is not null)
                {
                    // Note that a write into a big table's indexes touches pages all over them (a random key, a row moved
                    // by rotation): with SQLite's default 2 MB cache each commit re-reads and rewrites them through the
                    // kernel, and loads slow as the tables grow. One writer at a time holds this cache; the idle trim closes it.
                    await EngineStorage.ExecAsync(c, null, WriteCachePragma, ct);
                }

                var tx = await c.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
                return new Session(c, tx, _writers, storage);
            }
            catch
            {
                await c.DisposeAsync();
                throw;
            }
        }
        catch
        {
            _writers?.Release();
            throw;
        }
    }

    /// <summary>A read transaction with one snapshot for every statement (SQLite: deferred; PostgreSQL: repeatable read).</summary>
    public Task<Session> BeginReadAsync(CancellationToken ct) => BeginReadAsync(point: false, ct);

    /// <summary>A read session; <paramref name="point"/> for a read of a few rows by key (a SQLite point lane).</summary>
    public async Task<Session> BeginReadAsync(bool point, CancellationToken ct)
    {
        if (_lanes is not null)
        {
            var lane = await _lanes.TakeAsync(point, ct);
            try
            {
                await lane.BeginAsync(ct);
                return new Session(lane.Connection, null, lane: lane, lanes: _lanes);
            }
            catch
            {
                _lanes.Return(lane, lane.TryEnd());
                throw;
            }
        }

        var c = await storage.OpenConnectionAsync(ct);
        DbTransaction tx = c is SqliteConnection s
            ? s.BeginTransaction(deferred: true)
            : await c.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        return new Session(c, tx);
    }

    /// <summary>
    /// A read that runs one statement: on PostgreSQL a connection with no transaction, the statement being its own
    /// snapshot (no BEGIN and no ROLLBACK: one round trip, not two); on SQLite a read session as any other.
    /// </summary>
    public async Task<Session> BeginStatementAsync(bool point, CancellationToken ct) =>
        IsPostgres ? new Session(await storage.OpenConnectionAsync(ct), null) : await BeginReadAsync(point, ct);

    /// <summary>
    /// A command in the session's transaction; on a kept read connection, its statement prepared once (disposing it
    /// then keeps it for the next read).
    /// </summary>
    public static DbCommand Command(Session s, string sql, params object?[] args)
    {
        var cmd = s.Lane?.Statement(sql) ?? EngineStorage.Command(s.Connection, s.Transaction, sql);
        for (var i = 0; i < args.Length; i++)
        {
            EngineStorage.Parameter(cmd, "p" + i, args[i]);
        }

        return cmd;
    }

    /// <summary>Holds a PostgreSQL transaction-scoped advisory lock (SQLite's write transaction already excludes others).</summary>
    public async Task LockAsync(Session s, string name, CancellationToken ct)
    {
        if (IsPostgres)
        {
            await using var cmd = Command(s, "SELECT pg_advisory_xact_lock(hashtext(@p0))", "grove_records:" + name);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// For a range-partitioned set, locks its main table against DETACH/ATTACH for the session (readers in ACCESS SHARE,
    /// writers in ROW EXCLUSIVE) before anything reads the table list, so the list read and the tables queried agree
    /// (PostgreSQL reads partition bounds from the latest catalog, not from the transaction's snapshot).
    /// </summary>
    public async Task PinAsync(Session s, CompiledSet set, bool write, CancellationToken ct)
    {
        // Note that a session of one statement needs no pin: the statement locks the tables it reads before its snapshot.
        if (Ddl.Partitioned(set, Flavor) && s.Transaction is not null)
        {
            await using var cmd = Command(s, $"LOCK TABLE {EngineStorage.Quote(set.Template.Static)} IN {(write ? "ROW EXCLUSIVE" : "ACCESS SHARE")} MODE");
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task<bool> TableExistsAsync(Session s, string table, CancellationToken ct)
    {
        var sql = IsPostgres
            ? "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @p0"
            : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = @p0";
        await using var cmd = Command(s, sql, table);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>A records error for a constraint the database refused, or null for other failures.</summary>
    public static RecordsException? Map(Exception e, string set) => e switch
    {
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 1555 or 2067 } or PostgresException { SqlState: "23505" } =>
            new RecordsException(RecordsErrorCode.DuplicateKey, $"record set '{set}' already holds a row with this key", inner: e),
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 1299 } or PostgresException { SqlState: "23502" } =>
            new RecordsException(RecordsErrorCode.InvalidArgument, $"record set '{set}': a notNull field is missing ({Short(e)})", inner: e),
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 275 } or PostgresException { SqlState: "23514" or "22003" } =>
            new RecordsException(RecordsErrorCode.InvalidArgument, $"record set '{set}': a value is out of range ({Short(e)})", inner: e),
        _ => null,
    };

    private static string Short(Exception e) => e is PostgresException p ? p.MessageText : e.Message;

    /// <summary>Closes the kept read connections.</summary>
    public ValueTask DisposeAsync() => _lanes?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>
/// A connection with its transaction; disposing rolls back what was not committed. A read on a kept SQLite
/// connection (<paramref name="lane"/>) has no transaction object: its BEGIN and ROLLBACK are the lane's statements.
/// </summary>
internal sealed class Session(DbConnection connection, DbTransaction? transaction, SemaphoreSlim? turn = null, EngineStorage? writes = null, ReadLane? lane = null, ReadLanes? lanes = null) : IAsyncDisposable
{
    public DbConnection Connection => connection;

    /// <summary>The transaction object (null for a read on a kept SQLite connection, whose commands need none).</summary>
    public DbTransaction? Transaction => transaction;

    /// <summary>The transaction of a write session (what a commit publishes with).</summary>
    public DbTransaction WriteTransaction => transaction ?? throw new InvalidOperationException("a read on a kept connection has no transaction object");

    /// <summary>The kept read connection this read runs on, if any.</summary>
    public ReadLane? Lane => lane;

    public async Task CommitAsync(CancellationToken ct)
    {
        await (transaction ?? throw new InvalidOperationException("a read session commits nothing")).CommitAsync(ct);
        writes?.WriteCommitted();
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (lane is not null)
        {
            lanes!.Return(lane, lane.TryEnd());
            return;
        }

        try
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            await connection.DisposeAsync();
        }
        finally
        {
            turn?.Release();
        }
    }
}
