using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Grove.Tree.Internal.Parts;

/// <summary>The change feed's rows: the insert of a commit's changes (prepared once per connection on SQLite) and the schema step that needs code.</summary>
internal sealed class ChangeRows(SqlFlavor flavor)
{
    private readonly ConditionalWeakTable<DbConnection, DbCommand> _prepared = new();

    private bool Pg => flavor == SqlFlavor.Postgres;

    public async Task<long> InsertAsync(DbConnection c, DbTransaction? tx, IReadOnlyList<PendingChange> changes, long at, CancellationToken ct)
    {
        long last = 0;
        for (var i = 0; i < changes.Count; i++)
        {
            var cmd = InsertCommand(c, tx);
            try
            {
                var ch = changes[i];
                var p = cmd.Parameters;
                p[0].Value = (int)ch.Kind;
                p[1].Value = ch.Path;
                p[2].Value = (object?)ch.OldPath ?? DBNull.Value;
                p[3].Value = ch.Id;
                p[4].Value = ch.IsDir ? 1 : 0;
                p[5].Value = ch.Version;
                p[6].Value = (object?)ch.User ?? DBNull.Value;
                p[7].Value = at;
                if (Pg)
                {
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                else
                {
                    last = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
                }
            }
            finally
            {
                if (Pg)
                {
                    await cmd.DisposeAsync();
                }
            }
        }

        return last;
    }

    /// <summary>
    /// The insert of one change. On SQLite the statement is prepared once per connection (the tree writes through one
    /// long-lived connection, so this is once) and its revision is the next after both the newest row and the floor, so a
    /// trimmed-empty table never hands out a revision twice. On PostgreSQL the change waits in the pending table for
    /// <see cref="ChangeSequencer"/>, which numbers it after the commit.
    /// </summary>
    private DbCommand InsertCommand(DbConnection c, DbTransaction? tx)
    {
        if (Pg)
        {
            var pg = EngineStorage.Command(c, tx, "INSERT INTO grove_changes_pending (kind, path, old_path, id, dir, ver, usr, at) VALUES (@k, @p, @o, @i, @d, @v, @u, @a)");
            AddParameters(pg);
            return pg;
        }

        var cmd = _prepared.GetValue(c, conn =>
        {
            var created = EngineStorage.Command(conn, null, """
                INSERT INTO grove_changes (rev, kind, path, old_path, id, dir, ver, usr, at)
                VALUES (max(coalesce((SELECT max(rev) FROM grove_changes), 0), (SELECT rev FROM grove_changes_floor WHERE k = 1)) + 1,
                        @k, @p, @o, @i, @d, @v, @u, @a)
                RETURNING rev
                """);
            AddParameters(created);
            created.Prepare();
            return created;
        });
        cmd.Transaction = tx;
        return cmd;
    }

    private static void AddParameters(DbCommand cmd)
    {
        foreach (var name in (ReadOnlySpan<string>)["k", "p", "o", "i", "d", "v", "u", "a"])
        {
            EngineStorage.Parameter(cmd, name, null);
        }
    }

    public static async Task DropAutoincrementAsync(SqlFlavor flavor, DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        if (flavor != SqlFlavor.Sqlite)
        {
            return;
        }

        // Note that AUTOINCREMENT costs every commit a write to sqlite_sequence (one more WAL page); the insert computes
        // the next revision from the newest row and the floor instead, which never goes backwards either.
        await EngineStorage.ExecAsync(c, tx, """
            CREATE TABLE grove_changes_v2 (rev INTEGER PRIMARY KEY, kind INTEGER NOT NULL, path TEXT NOT NULL, old_path TEXT,
                id TEXT NOT NULL, dir INTEGER NOT NULL, ver BIGINT NOT NULL, usr TEXT, at BIGINT NOT NULL);
            INSERT INTO grove_changes_v2 SELECT rev, kind, path, old_path, id, dir, ver, usr, at FROM grove_changes;
            DROP TABLE grove_changes;
            ALTER TABLE grove_changes_v2 RENAME TO grove_changes
            """, ct);
    }
}
