using System.Data.Common;
using Grove.Tree.Storage;
using Microsoft.Data.Sqlite;

namespace Grove.Records.Internal;

/// <summary>
/// SQLite read connections this engine keeps open, each with its statements prepared once: a page across many
/// tables or an uncached get then runs statements already compiled, and begins and ends its transaction with two
/// more, instead of opening a pooled connection (its pragmas run again), compiling every statement and finalizing it.
/// At most <see cref="MaxIdle"/> connections of each kind wait between reads; more, opened under load, close when
/// returned, and one unused for <see cref="IdleFor"/> closes (its page cache with it), so an idle server keeps none.
/// Two kinds: range lanes (pages, scans) read the file through the engine connections' memory map; point lanes (a get
/// by key: a few pages of one B-tree) read it with pread into an 8 MB cache of their own.
/// </summary>
internal sealed class ReadLanes : IAsyncDisposable
{
    /// <summary>How long a kept connection may wait unused before it closes.</summary>
    public static readonly TimeSpan IdleFor = TimeSpan.FromSeconds(30);

    private static readonly int MaxIdle = Math.Clamp(Environment.ProcessorCount, 2, 8);

    // Note that SQLite drops a connection's whole file map (munmap) at its first read after any other connection
    // committed, and a mapped read then faults its pages in again, 16 neighbours at a time: for a get by key in a 1 GB
    // file after writes that cost 2-3x the few preads the same get makes unmapped (docs/benchmarks.md, "Records at
    // 20M: gets off the map, deep pages with fewer keys"), while a deep page by number still gains from the map.
    private const string PointPragmas = "PRAGMA mmap_size=0; PRAGMA cache_size=-8192;";
    private readonly EngineStorage _storage;
    private readonly TimeProvider _time;
    private readonly ITimer _sweep;
    private readonly Stack<ReadLane> _ranges = new();
    private readonly Stack<ReadLane> _points = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    public ReadLanes(EngineStorage storage, TimeProvider time)
    {
        _storage = storage;
        _time = time;
        _sweep = time.CreateTimer(_ => Sweep(), null, IdleFor, IdleFor);
    }

    /// <summary>An idle connection of the kind, or a new one; <paramref name="point"/> for a read of a few rows by key.</summary>
    public async ValueTask<ReadLane> TakeAsync(bool point, CancellationToken ct)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if ((point ? _points : _ranges).TryPop(out var lane))
            {
                return lane;
            }
        }

        if (point)
        {
            var c = (SqliteConnection)await _storage.OpenConnectionAsync(ct);
            try
            {
                await EngineStorage.ExecAsync(c, null, PointPragmas, ct);
                return new ReadLane(c, point: true);
            }
            catch
            {
                await c.DisposeAsync();
                throw;
            }
        }

        // Note that a range lane keeps the engine connections' file map: SQLite unmaps it at the first read after any
        // commit, yet a fault maps 16 neighbouring pages, so a page of 100 across six tables right after writes
        // faulted ~6 times, where an 8 MB private cache instead (mmap_size=0) read ~118 pages one pread at a time
        // (docs/benchmarks.md, "Records: where an uncached get's and a page's time goes").
        return new ReadLane((SqliteConnection)await _storage.OpenConnectionAsync(ct), point: false);
    }

    /// <summary>Takes a connection back after its transaction ended; a broken one or one too many closes.</summary>
    public void Return(ReadLane lane, bool healthy)
    {
        lock (_gate)
        {
            var idle = lane.Point ? _points : _ranges;
            if (healthy && !_disposed && idle.Count < MaxIdle)
            {
                lane.ReturnedAt = _time.GetTimestamp();
                idle.Push(lane);
                return;
            }
        }

        lane.Close();
    }

    /// <summary>Closes the kept connections unused for <see cref="IdleFor"/> (the stack's bottom: the least recently returned).</summary>
    public void Sweep()
    {
        var stale = new List<ReadLane>();
        lock (_gate)
        {
            foreach (var idle in (Stack<ReadLane>[])[_ranges, _points])
            {
                var fresh = idle.Where(l => _time.GetElapsedTime(l.ReturnedAt) < IdleFor).Reverse().ToList();
                stale.AddRange(idle.Where(l => !fresh.Contains(l)));
                idle.Clear();
                foreach (var lane in fresh)
                {
                    idle.Push(lane);
                }
            }
        }

        foreach (var lane in stale)
        {
            lane.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sweep.DisposeAsync();
        List<ReadLane> idle;
        lock (_gate)
        {
            _disposed = true;
            idle = [.. _ranges, .. _points];
            _ranges.Clear();
            _points.Clear();
        }

        foreach (var lane in idle)
        {
            lane.Close();
        }
    }
}

/// <summary>One kept read connection and its prepared statements by SQL text (at most <see cref="MaxStatements"/>).</summary>
internal sealed class ReadLane(SqliteConnection connection, bool point)
{
    // Note that statements name tables (a page's UNION ALL, a get's tables), and tables come and go with rotation:
    // the set is cleared when full rather than tracked, as a page needs a handful and recompiling them is cheap.
    private const int MaxStatements = 64;
    private readonly Dictionary<string, KeptCommand> _statements = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    /// <summary>Whether it is a point lane (no file map).</summary>
    public bool Point => point;

    /// <summary>When it last went back to the idle ones (a <see cref="TimeProvider"/> timestamp).</summary>
    public long ReturnedAt { get; set; }

    /// <summary>The statement for <paramref name="sql"/>, prepared on first use; its parameters are cleared.</summary>
    public DbCommand Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var cmd))
        {
            if (_statements.Count >= MaxStatements)
            {
                ReleaseAll();
            }

            cmd = new KeptCommand(sql, connection);
            _statements[sql] = cmd;
        }

        cmd.Parameters.Clear();
        return cmd;
    }

    /// <summary>Begins a deferred transaction (its snapshot is taken at the first read).</summary>
    public async Task BeginAsync(CancellationToken ct) => await Statement("BEGIN").ExecuteNonQueryAsync(ct);

    /// <summary>Ends the transaction if one is open; false when the connection failed to (it is then closed).</summary>
    public bool TryEnd()
    {
        try
        {
            if (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0)
            {
                Statement("ROLLBACK").ExecuteNonQuery();
            }

            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    public void Close()
    {
        ReleaseAll();
        connection.Dispose();
    }

    private void ReleaseAll()
    {
        foreach (var cmd in _statements.Values)
        {
            cmd.Release();
        }

        _statements.Clear();
    }

    /// <summary>A command that survives the <c>await using</c> of the code that ran it; only its lane releases it.</summary>
    private sealed class KeptCommand(string sql, SqliteConnection connection) : SqliteCommand(sql, connection)
    {
        private bool _released;

        public void Release()
        {
            _released = true;
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (_released || !disposing)
            {
                base.Dispose(disposing);
            }
        }
    }
}
