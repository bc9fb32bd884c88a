using Microsoft.Data.Sqlite;

namespace Grove.Tree.Internal.Sqlite;

internal sealed partial class SqliteIndexer
{
    private void Apply(ChangeSet changes, SqliteTransaction tx)
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
            // Note that most updates keep the indexed columns (overwrites, content and time changes): try that first,
            // and fall back to the full update for moves, renames, metadata edits and conflicts.
            if (Update(_updateInPlace, row, expected) == 0 && Update(_update, row, expected) == 0)
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

        foreach (var statement in changes.Statements)
        {
            // Note that Microsoft.Data.Sqlite completes its async calls synchronously (as for Sql below).
            statement.RunAsync(_writer, tx, CancellationToken.None).GetAwaiter().GetResult();
        }

        if (changes.Sql is { } sql)
        {
            // Note that Microsoft.Data.Sqlite completes its async calls synchronously, so this runs within the group's transaction.
            sql(_writer, tx, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    private static int Update(SqliteCommand cmd, TreeObject row, long expected)
    {
        Bind(cmd, row);
        cmd.Parameters[24].Value = row.IsInline && row.Inline is null;
        cmd.Parameters[25].Value = expected;
        return Run(cmd, row);
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
