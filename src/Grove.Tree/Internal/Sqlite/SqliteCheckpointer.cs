using Microsoft.Data.Sqlite;

namespace Grove.Tree.Internal.Sqlite;

/// <summary>
/// Copies committed pages from the WAL into the database file on a connection and thread of its own, so that no
/// commit waits for it. SQLite's automatic checkpoint runs inside the commit that crosses its threshold, holding the
/// write lock through the database file's fsync: every writer stalled behind it (p99 over a second under 16
/// concurrent writers on this VM). The automatic checkpoint stays, far higher, as a backstop.
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>WAL pages after which the writer still checkpoints by itself (about 160 MB): the backstop.</summary>
    public const int BackstopPages = 40_000;

    /// <summary>WAL pages that make a checkpoint worth its fsync.</summary>
    private const int ThresholdPages = 2_000;

    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);

    private readonly SqliteConnection _connection;
    private readonly Thread _thread;
    private readonly AutoResetEvent _wake = new(false);
    private volatile bool _stopping;
    private long _pages;

    private readonly bool _poll;

    /// <param name="connectionString">The database's.</param>
    /// <param name="poll">Also checkpoint once a second whether or not commits were counted (writers that do not count them).</param>
    public SqliteCheckpointer(string connectionString, bool poll = false)
    {
        _poll = poll;
        _connection = SqliteIndexer.OpenConnection(connectionString, readOnly: false);
        SqliteIndexer.Exec(_connection, "PRAGMA journal_size_limit=67108864;");
        _thread = new Thread(Run) { IsBackground = true, Name = "grove-sqlite-checkpoint" };
        _thread.Start();
    }

    /// <summary>Tells the checkpointer that a transaction committed about <paramref name="pages"/> pages.</summary>
    public void Committed(int pages)
    {
        if (Interlocked.Add(ref _pages, pages) >= ThresholdPages)
        {
            _wake.Set();
        }
    }

    private void Run()
    {
        while (!_stopping)
        {
            _wake.WaitOne(Idle);
            if (_stopping || (!_poll && Interlocked.Read(ref _pages) == 0))
            {
                continue;
            }

            Interlocked.Exchange(ref _pages, 0);
            try
            {
                SqliteIndexer.Exec(_connection, "PRAGMA wal_checkpoint(PASSIVE);");
            }
            catch (SqliteException)
            {
                // Busy or locked: the next round tries again, and the writer's backstop bounds the WAL meanwhile.
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        _thread.Join();
        _connection.Dispose();
        _wake.Dispose();
    }
}
