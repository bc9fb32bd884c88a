using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Grove.Tree.Internal.Sqlite;

internal sealed partial class SqliteIndexer
{
    private const int MaxGroup = 256;
    private readonly SqliteConnection _writer;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private SqliteCommand _insert = null!;
    private SqliteCommand _update = null!;
    private SqliteCommand _delete = null!;
    private SqliteCommand _ref = null!;

    private sealed record PendingWrite(ChangeSet Changes, TaskCompletionSource Done);

    public Task CommitAsync(ChangeSet changes, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (changes.IsEmpty)
        {
            return Task.CompletedTask;
        }

        var p = new PendingWrite(changes, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(p))
        {
            throw new ObjectDisposedException(nameof(SqliteIndexer));
        }

        // Note that once queued the change is applied even if the caller stops waiting: the outcome is the commit's.
        return p.Done.Task;
    }

    private void PrepareWriter()
    {
        _insert = Command(SqliteSchema.Insert, RowCodec.ColumnNames.Append("inl"));
        _update = Command(SqliteSchema.Update, RowCodec.ColumnNames.Append("inl").Append("keepinl").Append("expected"));
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

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxGroup);
        var outcomes = new Exception?[MaxGroup];
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxGroup && _queue.Reader.TryRead(out var p))
            {
                batch.Add(p);
            }

            try
            {
                // Note that concurrent commits share one transaction (group commit); savepoints keep them independent.
                using var tx = _writer.BeginTransaction(deferred: false);
                foreach (var cmd in (SqliteCommand[])[_insert, _update, _delete, _ref])
                {
                    cmd.Transaction = tx;
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    outcomes[i] = null;
                    if (batch.Count == 1)
                    {
                        Apply(batch[i].Changes);
                        continue;
                    }

                    tx.Save("w");
                    try
                    {
                        Apply(batch[i].Changes);
                        tx.Release("w");
                    }
                    catch (Exception e)
                    {
                        tx.Rollback("w");
                        tx.Release("w");
                        outcomes[i] = e;
                    }
                }

                tx.Commit();
                for (var i = 0; i < batch.Count; i++)
                {
                    if (outcomes[i] is { } e)
                    {
                        batch[i].Done.TrySetException(e);
                    }
                    else
                    {
                        batch[i].Done.TrySetResult();
                    }
                }
            }
            catch (Exception e)
            {
                foreach (var p in batch)
                {
                    p.Done.TrySetException(e);
                }
            }
        }
    }

    private void Apply(ChangeSet changes)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (id, expected) in changes.Deletes)
        {
            _delete.Parameters[0].Value = id;
            _delete.Parameters[1].Value = expected;
            if (_delete.ExecuteNonQuery() == 0)
            {
                throw new TreeException(TreeErrorCode.Conflict, $"object {id} changed or vanished during the operation");
            }
        }

        foreach (var (row, expected) in changes.Updates)
        {
            Bind(_update, row);
            _update.Parameters[24].Value = row.IsInline && row.Inline is null;
            _update.Parameters[25].Value = expected;
            if (Run(_update, row) == 0)
            {
                throw new TreeException(TreeErrorCode.Conflict, $"object {row.Id} changed or vanished during the operation");
            }
        }

        foreach (var row in changes.Inserts)
        {
            Bind(_insert, row);
            Run(_insert, row);
        }

        foreach (var r in changes.Refs)
        {
            _ref.Parameters[0].Value = r.Bucket;
            _ref.Parameters[1].Value = r.Sha256;
            _ref.Parameters[2].Value = r.Length;
            _ref.Parameters[3].Value = r.Delta;
            _ref.Parameters[4].Value = now;
            _ref.ExecuteNonQuery();
        }

        if (changes.Custom is Action<SqliteConnection> custom)
        {
            custom(_writer);
        }
    }

    private static void Bind(SqliteCommand cmd, TreeObject row)
    {
        var values = RowCodec.Values(row);
        for (var i = 0; i < values.Length; i++)
        {
            cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        cmd.Parameters[values.Length].Value = (object?)row.Inline ?? DBNull.Value;
    }

    private static int Run(SqliteCommand cmd, TreeObject row)
    {
        try
        {
            return cmd.ExecuteNonQuery();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new TreeException(TreeErrorCode.AlreadyExists, $"already exists: '{row.Name}' in its directory", e);
        }
    }
}
