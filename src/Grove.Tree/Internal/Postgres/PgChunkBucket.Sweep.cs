using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace Grove.Tree.Internal.Postgres;

internal sealed partial class PgChunkBucket
{
    private const int ListPage = 5000;

    /// <summary>The names of the chunk buckets that hold blobs in this database.</summary>
    public static async Task<IReadOnlyList<string>> NamesAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        var names = new List<string>();
        await using var cmd = source.CreateCommand("SELECT DISTINCT bk FROM pg_blobs");
        await using var rd = await cmd.ExecuteReaderAsync(ct);
        while (await rd.ReadAsync(ct))
        {
            names.Add(rd.GetString(0));
        }

        return names;
    }

    public async ValueTask<bool> ExistsAsync(string sha256, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("SELECT 1 FROM pg_blobs WHERE bk=@bk AND sha256=@sha");
        cmd.Parameters.Add(P("bk", NpgsqlDbType.Text, Name));
        cmd.Parameters.Add(P("sha", NpgsqlDbType.Text, sha256));
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    public async IAsyncEnumerable<StoredBlob> ListBlobsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        // Note that blobs are read a keyset page at a time, so listing a large bucket holds one page in memory.
        var after = "";
        while (true)
        {
            var page = new List<StoredBlob>(ListPage);
            await using (var cmd = _source.CreateCommand("SELECT sha256, touched, len FROM pg_blobs WHERE bk=@bk AND sha256>@after ORDER BY sha256 LIMIT @n"))
            {
                cmd.Parameters.Add(P("bk", NpgsqlDbType.Text, Name));
                cmd.Parameters.Add(P("after", NpgsqlDbType.Text, after));
                cmd.Parameters.Add(P("n", NpgsqlDbType.Integer, ListPage));
                await using var rd = await cmd.ExecuteReaderAsync(ct);
                while (await rd.ReadAsync(ct))
                {
                    page.Add(new StoredBlob(rd.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(rd.GetInt64(1)), rd.GetInt64(2)));
                }
            }

            foreach (var blob in page)
            {
                yield return blob;
            }

            if (page.Count < ListPage)
            {
                yield break;
            }

            after = page[^1].Sha256;
        }
    }

    /// <summary>
    /// Drops a blob untouched since <paramref name="notAfter"/>, then the chunks no other blob uses. The exclusive
    /// sweep lock keeps writers (which hold it shared) out, so no writer can be relying on a chunk being dropped.
    /// </summary>
    public async ValueTask<bool> TryRemoveAsync(string sha256, DateTimeOffset notAfter, CancellationToken ct)
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var guard = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@k)", connection, tx))
        {
            guard.Parameters.Add(P("k", NpgsqlDbType.Bigint, PgChunkSchema.SweepLock));
            await guard.ExecuteNonQueryAsync(ct);
        }

        await using (var drop = new NpgsqlCommand("DELETE FROM pg_blobs WHERE bk=@bk AND sha256=@sha AND touched<=@t", connection, tx))
        {
            drop.Parameters.Add(P("bk", NpgsqlDbType.Text, Name));
            drop.Parameters.Add(P("sha", NpgsqlDbType.Text, sha256));
            drop.Parameters.Add(P("t", NpgsqlDbType.Bigint, notAfter.ToUnixTimeMilliseconds()));
            if (await drop.ExecuteNonQueryAsync(ct) == 0)
            {
                await tx.RollbackAsync(ct);
                return false;
            }
        }

        await using (var chunks = new NpgsqlCommand("""
            WITH gone AS (DELETE FROM pg_manifest WHERE bk=@bk AND sha256=@sha RETURNING chunk)
            DELETE FROM pg_chunks c USING (SELECT DISTINCT chunk FROM gone) g
            WHERE c.sha256 = g.chunk AND NOT EXISTS (SELECT 1 FROM pg_manifest m WHERE m.chunk = g.chunk AND NOT (m.bk=@bk AND m.sha256=@sha))
            """, connection, tx))
        {
            chunks.Parameters.Add(P("bk", NpgsqlDbType.Text, Name));
            chunks.Parameters.Add(P("sha", NpgsqlDbType.Text, sha256));
            await chunks.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return true;
    }
}
