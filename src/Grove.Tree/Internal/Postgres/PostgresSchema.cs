using NpgsqlTypes;

namespace Grove.Tree.Internal.Postgres;

/// <summary>
/// The PostgreSQL schema of an index, in the connection's default schema: the same tables and columns as SQLite,
/// with text <c>COLLATE "C"</c> so names sort in UTF-8 byte order, and <c>jsonb</c> labels and metadata.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Advisory lock key serializing schema creation across processes ("GROVE" 1).</summary>
    public const long SchemaLock = 0x47524F5645_0001;

    /// <summary>Advisory lock key serializing metadata index creation across processes ("GROVE" 2).</summary>
    public const long MetaIndexLock = 0x47524F5645_0002;

    public const string Create = """
        SELECT pg_advisory_xact_lock(@lock);
        CREATE TABLE IF NOT EXISTS obj(
          id text COLLATE "C" PRIMARY KEY,
          pid text COLLATE "C" NOT NULL,
          nm text COLLATE "C" NOT NULL,
          race integer NOT NULL,
          tp text COLLATE "C", mime text COLLATE "C",
          len bigint NOT NULL DEFAULT 0,
          sha256 text COLLATE "C", mnt text COLLATE "C", ln text COLLATE "C", lbls jsonb,
          c text COLLATE "C", m text COLLATE "C", g text COLLATE "C",
          md integer NOT NULL DEFAULT 0,
          ct bigint NOT NULL, lm bigint NOT NULL, expi bigint,
          v bigint NOT NULL,
          bk text COLLATE "C", meta jsonb, wtok bigint, wexp bigint,
          inl bytea);
        CREATE UNIQUE INDEX IF NOT EXISTS obj_pid_nm ON obj(pid, nm);
        CREATE INDEX IF NOT EXISTS obj_expi ON obj(expi) WHERE expi IS NOT NULL;
        CREATE TABLE IF NOT EXISTS blobs(
          bk text COLLATE "C" NOT NULL, sha256 text COLLATE "C" NOT NULL, len bigint NOT NULL,
          refs bigint NOT NULL, zero_since bigint,
          PRIMARY KEY(bk, sha256));
        CREATE INDEX IF NOT EXISTS blobs_zero ON blobs(zero_since, bk, sha256) WHERE zero_since IS NOT NULL;
        CREATE TABLE IF NOT EXISTS meta_index(key text COLLATE "C" PRIMARY KEY);
        CREATE TABLE IF NOT EXISTS grove_leases(
          name text COLLATE "C" PRIMARY KEY, holder text NOT NULL, token bigint NOT NULL, until_ms bigint NOT NULL);
        CREATE SEQUENCE IF NOT EXISTS grove_lease_token;
        """;

    /// <summary>The row columns and the inline length, for lists and queries.</summary>
    public const string Columns = RowCodec.Columns + ",octet_length(inl)::bigint";

    public const string Select = "SELECT " + Columns;

    public const string SelectFull = Select + ",inl";

    public static readonly string Insert =
        $"INSERT INTO obj({RowCodec.Columns},inl) VALUES({string.Join(',', RowCodec.ColumnNames.Select(c => "@" + c))},@inl)";

    public static readonly string Update =
        $"UPDATE obj SET {string.Join(',', RowCodec.ColumnNames.Skip(1).Select(c => $"{c}=@{c}"))}," +
        "inl=CASE WHEN @keepinl THEN inl ELSE @inl END WHERE id=@id AND v=@expected";

    public const string Delete = "DELETE FROM obj WHERE id=@id AND v=@expected";

    /// <summary>
    /// An unread delete (<see cref="Storage.UnreadDelete"/>): the file at its place, not held by a live write handle,
    /// goes, and its content's reference is released as <see cref="RefUpsert"/> would; the statement's check counts
    /// the rows that went.
    /// </summary>
    public const string DeleteUnreadCte = """
        WITH d AS (DELETE FROM obj WHERE id=@id AND pid=@pid AND nm=@nm AND race=1 AND (wtok IS NULL OR wexp<=@now)
                   RETURNING bk, sha256, len, inl IS NULL AS ext),
             r AS (INSERT INTO blobs(bk,sha256,len,refs,zero_since) SELECT COALESCE(bk,''), sha256, len, -1, @now FROM d WHERE ext AND sha256 IS NOT NULL
                   ON CONFLICT(bk,sha256) DO UPDATE SET refs=blobs.refs-1,
                     zero_since=CASE WHEN blobs.refs-1<=0 THEN COALESCE(blobs.zero_since,@now) END)
        """;

    public const string RefUpsert = """
        INSERT INTO blobs(bk,sha256,len,refs,zero_since) VALUES(@bk,@sha,@len,@d,CASE WHEN @d<=0 THEN @now END)
        ON CONFLICT(bk,sha256) DO UPDATE SET refs=blobs.refs+@d,
          zero_since=CASE WHEN blobs.refs+@d<=0 THEN COALESCE(blobs.zero_since,@now) END
        """;

    /// <summary>The parameter type of each stored column, so nulls bind with a type and statements stay prepared.</summary>
    public static NpgsqlDbType TypeOf(string column) => column switch
    {
        "race" or "md" => NpgsqlDbType.Integer,
        "len" or "ct" or "lm" or "expi" or "v" or "wtok" or "wexp" => NpgsqlDbType.Bigint,
        "lbls" or "meta" => NpgsqlDbType.Jsonb,
        _ => NpgsqlDbType.Text,
    };

    /// <summary>The name of the <paramref name="i"/>th index on a metadata key; hashed to stay within 63 bytes.</summary>
    public static string MetaIndexName(string key, int i)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
        return $"obj_meta_{Convert.ToHexStringLower(hash)[..32]}_{i}";
    }
}
