namespace Grove.Tree.Internal.Postgres;

/// <summary>Tables of the PostgreSQL chunk bucket: blobs, their ordered chunk lists, and content-addressed chunks.</summary>
internal static class PgChunkSchema
{
    /// <summary>Writers hold this advisory lock shared, the sweep exclusive: a chunk is never dropped under a writer.</summary>
    public const long SweepLock = 0x6772_6f76_6563_6b;

    public const string Create = """
        SELECT pg_advisory_xact_lock(7453010373645655652);
        CREATE TABLE IF NOT EXISTS pg_blobs(
          bk text COLLATE "C" NOT NULL, sha256 text COLLATE "C" NOT NULL, len bigint NOT NULL,
          chunk_size integer NOT NULL, touched bigint NOT NULL, PRIMARY KEY(bk, sha256));
        CREATE TABLE IF NOT EXISTS pg_manifest(
          bk text COLLATE "C" NOT NULL, sha256 text COLLATE "C" NOT NULL, seq integer NOT NULL,
          chunk text COLLATE "C" NOT NULL, PRIMARY KEY(bk, sha256, seq));
        CREATE INDEX IF NOT EXISTS pg_manifest_chunk ON pg_manifest(chunk);
        CREATE TABLE IF NOT EXISTS pg_chunks(sha256 text COLLATE "C" PRIMARY KEY, data bytea NOT NULL);
        """;
}
