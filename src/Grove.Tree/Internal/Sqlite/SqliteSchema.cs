namespace Grove.Tree.Internal.Sqlite;

/// <summary>The SQLite schema of an index: object rows, blob reference counts, ensured metadata indexes.</summary>
internal static class SqliteSchema
{
    /// <summary>The columns some index reads besides <c>id</c>: <c>obj_pid_nm</c>, <c>obj_expi</c> and every metadata index.</summary>
    private static readonly string[] IndexedColumns = ["pid", "nm", "expi", "meta"];

    public const string Create = """
        CREATE TABLE IF NOT EXISTS obj(
          id TEXT PRIMARY KEY NOT NULL,
          pid TEXT NOT NULL,
          nm TEXT NOT NULL,
          race INTEGER NOT NULL,
          tp TEXT, mime TEXT,
          len INTEGER NOT NULL DEFAULT 0,
          sha256 TEXT, mnt TEXT, ln TEXT, lbls TEXT,
          c TEXT, m TEXT, g TEXT,
          md INTEGER NOT NULL DEFAULT 0,
          ct INTEGER NOT NULL, lm INTEGER NOT NULL, expi INTEGER,
          v INTEGER NOT NULL,
          bk TEXT, meta TEXT, wtok INTEGER, wexp INTEGER,
          inl BLOB);
        CREATE UNIQUE INDEX IF NOT EXISTS obj_pid_nm ON obj(pid, nm);
        CREATE INDEX IF NOT EXISTS obj_expi ON obj(expi) WHERE expi IS NOT NULL;
        CREATE TABLE IF NOT EXISTS blobs(
          bk TEXT NOT NULL, sha256 TEXT NOT NULL, len INTEGER NOT NULL,
          refs INTEGER NOT NULL, zero_since INTEGER,
          PRIMARY KEY(bk, sha256)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS blobs_zero ON blobs(zero_since, bk, sha256) WHERE zero_since IS NOT NULL;
        CREATE TABLE IF NOT EXISTS meta_index(key TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
        """;

    public const string Select = "SELECT " + RowCodec.Columns + ",length(inl)";

    public const string SelectFull = Select + ",inl";

    public static readonly string Insert =
        $"INSERT INTO obj({RowCodec.Columns},inl) VALUES({string.Join(',', RowCodec.ColumnNames.Select(c => "@" + c))},@inl)";

    public static readonly string Update =
        $"UPDATE obj SET {string.Join(',', RowCodec.ColumnNames.Skip(1).Select(c => $"{c}=@{c}"))}," +
        "inl=CASE WHEN @keepinl THEN inl ELSE @inl END WHERE id=@id AND v=@expected";

    /// <summary>
    /// The update of a row whose indexed columns keep their values (an overwrite, a rename-free touch): they stay out
    /// of the SET list and are matched instead, because SQLite rewrites every index on a column the SET list names,
    /// changed or not — the (pid, nm) index and each metadata expression index, a page each per commit.
    /// </summary>
    public static readonly string UpdateInPlace =
        $"UPDATE obj SET {string.Join(',', RowCodec.ColumnNames.Skip(1).Except(IndexedColumns).Select(c => $"{c}=@{c}"))}," +
        "inl=CASE WHEN @keepinl THEN inl ELSE @inl END WHERE id=@id AND v=@expected AND " +
        string.Join(" AND ", IndexedColumns.Select(c => $"{c} IS @{c}"));

    public const string Delete = "DELETE FROM obj WHERE id=@id AND v=@expected";

    public const string RefUpsert = """
        INSERT INTO blobs(bk,sha256,len,refs,zero_since) VALUES(@bk,@sha,@len,@d,CASE WHEN @d<=0 THEN @now END)
        ON CONFLICT(bk,sha256) DO UPDATE SET refs=refs+@d, zero_since=CASE WHEN refs+@d<=0 THEN COALESCE(zero_since,@now) END
        """;
}
