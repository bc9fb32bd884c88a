using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Grove.Tree.Internal.Sqlite;

internal sealed partial class SqliteIndexer
{
    private const int MaxGroup = 256;
    private readonly SqliteConnection _writer;
    private readonly ConcurrentQueue<PendingWrite> _queue = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteCommand _insert = null!;
    private SqliteCommand _update = null!;
    private SqliteCommand _updateInPlace = null!;
    private SqliteCommand _delete = null!;
    private SqliteCommand _ref = null!;
    private bool _disposed;

    private sealed class PendingWrite(ChangeSet changes)
    {
        public ChangeSet Changes { get; } = changes;

        public bool Done { get; set; }

        public Exception? Error { get; set; }
    }

    /// <summary>
    /// Group commit, leader/follower style: every committer queues its change set and takes the writer lock; whoever
    /// holds it applies everything queued in one transaction (savepoints keep the sets independent). Uncontended,
    /// the caller's own thread commits with no hand-off; under load, one fsync serves many commits.
    /// </summary>
    public async Task CommitAsync(ChangeSet changes, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (changes.IsEmpty)
        {
            return;
        }

        var mine = new PendingWrite(changes);
        _queue.Enqueue(mine);

        // Note that once queued the change is applied even if the caller stops waiting: the outcome is the commit's.
        await _writeLock.WaitAsync(CancellationToken.None);
        try
        {
            if (!mine.Done)
            {
                Drain();
            }
        }
        finally
        {
            _writeLock.Release();
        }

        if (mine.Error is { } e)
        {
            throw e switch
            {
                TreeException or StorageFullException => e,
                StatementRefusedException r => r.Refusal,

                // Note that a full disk is not a conflict: retrying cannot help, and the caller answers 507.
                SqliteException { SqliteErrorCode: 13 } => StorageFullException.From(e),
                _ when StorageFullException.IsDiskFull(e) => StorageFullException.From(e),
                _ => new TreeException(TreeErrorCode.Conflict, "index write failed: " + e.Message, e),
            };
        }
    }

    private void Drain()
    {
        var batch = new List<PendingWrite>(8);
        while (batch.Count < MaxGroup && _queue.TryDequeue(out var p))
        {
            batch.Add(p);
        }

        try
        {
            using var tx = _writer.BeginTransaction(deferred: false);
            foreach (var cmd in (SqliteCommand[])[_insert, _update, _updateInPlace, _delete, _ref])
            {
                cmd.Transaction = tx;
            }

            foreach (var p in batch)
            {
                if (batch.Count == 1)
                {
                    Apply(p.Changes, tx);
                    continue;
                }

                tx.Save("w");
                try
                {
                    Apply(p.Changes, tx);
                    tx.Release("w");
                }
                catch (Exception e)
                {
                    tx.Rollback("w");
                    tx.Release("w");
                    p.Error = e;
                }
            }

            tx.Commit();
            _version.Bump();

            // Note that a page count is only a hint for when to checkpoint: a row and an index entry per change.
            _checkpointer.Committed(2 * batch.Count);
        }
        catch (Exception e)
        {
            foreach (var p in batch)
            {
                p.Error ??= e;
            }
        }

        foreach (var p in batch)
        {
            p.Done = true;
        }
    }

    private void PrepareWriter()
    {
        _insert = Command(SqliteSchema.Insert, RowCodec.ColumnNames.Append("inl"));
        _update = Command(SqliteSchema.Update, RowCodec.ColumnNames.Append("inl").Append("keepinl").Append("expected"));
        _updateInPlace = Command(SqliteSchema.UpdateInPlace, RowCodec.ColumnNames.Append("inl").Append("keepinl").Append("expected"));
        _delete = Command(SqliteSchema.Delete, ["id", "expected"]);
        _ref = Command(SqliteSchema.RefUpsert, ["bk", "sha", "len", "d", "now"]);
    }

    private SqliteCommand Command(string sql, IEnumerable<string> names)
    {
        var cmd = _writer.CreateCommand();
        cmd.CommandText = sql;
        foreach (var n in names)
        {
            cmd.Parameters.Add(new SqliteParameter("@" + n, null));
        }

        cmd.Prepare();
        return cmd;
    }
}
