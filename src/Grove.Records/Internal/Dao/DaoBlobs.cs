using System.Globalization;
using Grove.Tree.Storage;

namespace Grove.Records.Internal.Dao;

/// <summary>
/// Reference counts of the content dao-mounted rows point at (<c>grove_record_blobs</c>), as the tree's own indexes keep
/// them: so fsck and the background reclaim never remove content a row still references.
/// </summary>
internal static class DaoBlobs
{
    private const string Columns = "bucket, sha256, len, refs, zero_since";

    public static async Task ApplyAsync(Db db, IEnumerable<RefDelta> deltas, long now, CancellationToken ct)
    {
        var list = deltas.ToList();
        if (list.Count == 0)
        {
            return;
        }

        await using var s = await db.BeginWriteAsync(ct);
        foreach (var d in list)
        {
            await using var cmd = Db.Command(s, """
                INSERT INTO grove_record_blobs (bucket, sha256, len, refs, zero_since) VALUES (@p0, @p1, @p2, @p3, CASE WHEN @p3 <= 0 THEN @p4 END)
                ON CONFLICT (bucket, sha256) DO UPDATE SET refs = grove_record_blobs.refs + excluded.refs,
                    zero_since = CASE WHEN grove_record_blobs.refs + excluded.refs <= 0 THEN COALESCE(grove_record_blobs.zero_since, @p4) END
                """, d.Bucket, d.Sha256, d.Length, (long)d.Delta, now);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await s.CommitAsync(ct);
    }

    public static async Task<BlobRow?> GetAsync(Db db, string bucket, string sha, CancellationToken ct) =>
        (await ReadAsync(db, $"SELECT {Columns} FROM grove_record_blobs WHERE bucket = @p0 AND sha256 = @p1", ct, bucket, sha)).FirstOrDefault();

    public static Task<List<BlobRow>> ListAsync(Db db, string bucket, string? afterSha, int limit, CancellationToken ct) =>
        ReadAsync(db, $"SELECT {Columns} FROM grove_record_blobs WHERE bucket = @p0 AND sha256 > @p1 ORDER BY sha256 LIMIT {limit}", ct, bucket, afterSha ?? "");

    public static Task<List<BlobRow>> UnreferencedAsync(Db db, long zeroBefore, BlobRow? after, int limit, CancellationToken ct) =>
        ReadAsync(db, $"""
            SELECT {Columns} FROM grove_record_blobs WHERE refs <= 0 AND zero_since <= @p0
              AND (zero_since > @p1 OR (zero_since = @p1 AND (bucket > @p2 OR (bucket = @p2 AND sha256 > @p3))))
            ORDER BY zero_since, bucket, sha256 LIMIT {limit}
            """, ct, zeroBefore, after?.ZeroSince ?? long.MinValue, after?.Bucket ?? "", after?.Sha256 ?? "");

    public static async Task<bool> DeleteIfUnreferencedAsync(Db db, string bucket, string sha, long zeroBefore, CancellationToken ct)
    {
        await using var s = await db.BeginWriteAsync(ct);
        await using var cmd = Db.Command(s, "DELETE FROM grove_record_blobs WHERE bucket = @p0 AND sha256 = @p1 AND refs <= 0 AND zero_since <= @p2", bucket, sha, zeroBefore);
        var n = await cmd.ExecuteNonQueryAsync(ct);
        await s.CommitAsync(ct);
        return n > 0;
    }

    private static async Task<List<BlobRow>> ReadAsync(Db db, string sql, CancellationToken ct, params object?[] args)
    {
        await using var s = await db.BeginReadAsync(ct);
        await using var cmd = Db.Command(s, sql, args);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<BlobRow>();
        while (await r.ReadAsync(ct))
        {
            rows.Add(new BlobRow(r.GetString(0), r.GetString(1), Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture),
                Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture), r.IsDBNull(4) ? null : Convert.ToInt64(r.GetValue(4), CultureInfo.InvariantCulture)));
        }

        return rows;
    }
}
