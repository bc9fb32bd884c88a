using Microsoft.Data.Sqlite;

namespace Grove.Tree.Internal.Sqlite;

internal sealed partial class SqliteIndexer
{
    private static BlobRow ReadBlob(SqliteDataReader rd) =>
        new(rd.GetString(0), rd.GetString(1), rd.GetInt64(2), rd.GetInt64(3), rd.IsDBNull(4) ? null : rd.GetInt64(4));

    public Task<BlobRow?> GetBlobAsync(string bucket, string sha256, CancellationToken ct) => Task.FromResult(Read(r =>
    {
        using var cmd = r.Connection.CreateCommand();
        cmd.CommandText = "SELECT bk,sha256,len,refs,zero_since FROM blobs WHERE bk=@b AND sha256=@s";
        cmd.Parameters.AddWithValue("@b", bucket);
        cmd.Parameters.AddWithValue("@s", sha256);
        using var rd = cmd.ExecuteReader();
        return rd.Read() ? ReadBlob(rd) : null;
    }));

    public Task<IReadOnlyList<BlobRow>> UnreferencedBlobsAsync(long zeroBefore, BlobRow? after, int limit, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<BlobRow>>(Read(r =>
        {
            using var cmd = r.Connection.CreateCommand();
            cmd.CommandText = """
                SELECT bk,sha256,len,refs,zero_since FROM blobs
                WHERE zero_since IS NOT NULL AND zero_since<=@z AND refs<=0 AND (zero_since,bk,sha256)>(@az,@ab,@as)
                ORDER BY zero_since,bk,sha256 LIMIT @n
                """;
            cmd.Parameters.AddWithValue("@z", zeroBefore);
            cmd.Parameters.AddWithValue("@az", after?.ZeroSince ?? long.MinValue);
            cmd.Parameters.AddWithValue("@ab", after?.Bucket ?? "");
            cmd.Parameters.AddWithValue("@as", after?.Sha256 ?? "");
            cmd.Parameters.AddWithValue("@n", limit);
            var list = new List<BlobRow>();
            using var rd = cmd.ExecuteReader();
            while (rd.Read())
            {
                list.Add(ReadBlob(rd));
            }

            return list;
        }));

    public Task<IReadOnlyList<BlobRow>> ListBlobsAsync(string bucket, string? afterSha, int limit, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<BlobRow>>(Read(r =>
        {
            using var cmd = r.Connection.CreateCommand();
            cmd.CommandText = "SELECT bk,sha256,len,refs,zero_since FROM blobs WHERE bk=@b AND sha256>@s ORDER BY sha256 LIMIT @n";
            cmd.Parameters.AddWithValue("@b", bucket);
            cmd.Parameters.AddWithValue("@s", afterSha ?? "");
            cmd.Parameters.AddWithValue("@n", limit);
            var list = new List<BlobRow>();
            using var rd = cmd.ExecuteReader();
            while (rd.Read())
            {
                list.Add(ReadBlob(rd));
            }

            return list;
        }));

    public async Task<bool> DeleteBlobRowIfUnreferencedAsync(string bucket, string sha256, long zeroBefore, CancellationToken ct)
    {
        var deleted = false;
        await RunOnWriterAsync(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM blobs WHERE bk=@b AND sha256=@s AND refs<=0 AND zero_since<=@z";
            cmd.Parameters.AddWithValue("@b", bucket);
            cmd.Parameters.AddWithValue("@s", sha256);
            cmd.Parameters.AddWithValue("@z", zeroBefore);
            deleted = cmd.ExecuteNonQuery() > 0;
        }, ct);
        return deleted;
    }

    public Task EnsureIndexAsync(string key, CancellationToken ct)
    {
        var name = "meta_" + Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(key));
        return RunOnWriterAsync(c =>
        {
            // Note that indexes made before 2026-12-04 were full (named _0): the partial one replaces them.
            Exec(c, Sql.SqlQueryBuilder.SqliteMetaIndex(name + "_p", key));
            Exec(c, $"DROP INDEX IF EXISTS {name}_0");

            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT OR IGNORE INTO meta_index(key) VALUES(@k)";
            cmd.Parameters.AddWithValue("@k", key);
            cmd.ExecuteNonQuery();
        }, ct);
    }

    /// <summary>Runs work on the writer connection between group commits.</summary>
    private Task RunOnWriterAsync(Action<SqliteConnection> work, CancellationToken ct)
    {
        var changes = new ChangeSet
        {
            Sql = (c, _, _) =>
            {
                work((SqliteConnection)c);
                return Task.CompletedTask;
            },
        };
        return CommitAsync(changes, ct);
    }
}
