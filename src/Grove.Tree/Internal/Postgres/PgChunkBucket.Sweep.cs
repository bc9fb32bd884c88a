using Npgsql;
using NpgsqlTypes;

namespace Grove.Tree.Internal.Postgres;

internal sealed partial class PgChunkBucket
{
    /// <summary>The names of the chunk buckets that hold blobs in this database.</summary>
    public static IReadOnlyList<string> Names(NpgsqlDataSource source)
    {
        var names = new List<string>();
        using var cmd = source.CreateCommand("SELECT DISTINCT bk FROM pg_blobs");
        using var rd = cmd.ExecuteReader();
        while (rd.Read())
        {
            names.Add(rd.GetString(0));
        }

        return names;
    }

    public bool Exists(string sha256)
    {
        using var cmd = _source.CreateCommand("SELECT 1 FROM pg_blobs WHERE bk=@bk AND sha256=@sha");
        cmd.Parameters.Add(P("bk", NpgsqlDbType.Text, Name));
        cmd.Parameters.Add(P("sha", NpgsqlDbType.Text, sha256));
        return cmd.ExecuteScalar() is not null;
    }

    public IEnumerable<(string Sha256, DateTimeOffset Written)> EnumerateBlobs()
    {
        var list = new List<(string, DateTimeOffset)>();
        using var cmd = _source.CreateCommand("SELECT sha256, touched FROM pg_blobs WHERE bk=@bk ORDER BY sha256");
        cmd.Parameters.Add(P("bk", NpgsqlDbType.Text, Name));
        using var rd = cmd.ExecuteReader();
        while (rd.Read())
        {
            list.Add((rd.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(rd.GetInt64(1))));
        }

        return list;
    }

    /// <summary>
    /// Drops a blob untouched since <paramref name="notAfter"/>, then the chunks no other blob uses. The exclusive
    /// sweep lock keeps writers (which hold it shared) out, so no writer can be relying on a chunk being dropped.
    /// </summary>
    public bool TryRemove(string sha256, DateTimeOffset notAfter)
    {
        using var connection = _source.OpenConnection();
        using var tx = connection.BeginTransaction();
        using (var guard = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@k)", connection, tx))
        {
            guard.Parameters.Add(P("k", NpgsqlDbType.Bigint, PgChunkSchema.SweepLock));
            guard.ExecuteNonQuery();
        }

        using (var drop = new NpgsqlCommand("DELETE FROM pg_blobs WHERE bk=@bk AND sha256=@sha AND touched<=@t", connection, tx))
        {
            drop.Parameters.Add(P("bk", NpgsqlDbType.Text, Name));
            drop.Parameters.Add(P("sha", NpgsqlDbType.Text, sha256));
            drop.Parameters.Add(P("t", NpgsqlDbType.Bigint, notAfter.ToUnixTimeMilliseconds()));
            if (drop.ExecuteNonQuery() == 0)
            {
                tx.Rollback();
                return false;
            }
        }

        using (var chunks = new NpgsqlCommand("""
            WITH gone AS (DELETE FROM pg_manifest WHERE bk=@bk AND sha256=@sha RETURNING chunk)
            DELETE FROM pg_chunks c USING (SELECT DISTINCT chunk FROM gone) g
            WHERE c.sha256 = g.chunk AND NOT EXISTS (SELECT 1 FROM pg_manifest m WHERE m.chunk = g.chunk AND NOT (m.bk=@bk AND m.sha256=@sha))
            """, connection, tx))
        {
            chunks.Parameters.Add(P("bk", NpgsqlDbType.Text, Name));
            chunks.Parameters.Add(P("sha", NpgsqlDbType.Text, sha256));
            chunks.ExecuteNonQuery();
        }

        tx.Commit();
        return true;
    }
}
