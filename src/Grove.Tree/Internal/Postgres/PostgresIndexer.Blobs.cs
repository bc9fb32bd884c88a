using Grove.Tree.Internal.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Grove.Tree.Internal.Postgres;

internal sealed partial class PostgresIndexer
{
    private const string BlobColumns = "SELECT bk,sha256,len,refs,zero_since FROM blobs";

    private static BlobRow ReadBlob(NpgsqlDataReader rd) =>
        new(rd.GetString(0), rd.GetString(1), rd.GetInt64(2), rd.GetInt64(3), rd.IsDBNull(4) ? null : rd.GetInt64(4));

    public async Task<BlobRow?> GetBlobAsync(string bucket, string sha256, CancellationToken ct)
    {
        var rows = await BlobsAsync(BlobColumns + " WHERE bk=@b AND sha256=@s", ct, P("b", NpgsqlDbType.Text, bucket), P("s", NpgsqlDbType.Text, sha256));
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<BlobRow>> ListBlobsAsync(string bucket, string? afterSha, int limit, CancellationToken ct) =>
        BlobsAsync(BlobColumns + " WHERE bk=@b AND sha256>@s ORDER BY sha256 LIMIT @n", ct,
            P("b", NpgsqlDbType.Text, bucket), P("s", NpgsqlDbType.Text, afterSha ?? ""), P("n", NpgsqlDbType.Integer, limit));

    public Task<IReadOnlyList<BlobRow>> UnreferencedBlobsAsync(long zeroBefore, BlobRow? after, int limit, CancellationToken ct) =>
        BlobsAsync(BlobColumns + " WHERE zero_since IS NOT NULL AND zero_since<=@z AND refs<=0 AND (zero_since,bk,sha256)>(@az,@ab,@as) ORDER BY zero_since,bk,sha256 LIMIT @n", ct,
            P("z", NpgsqlDbType.Bigint, zeroBefore), P("az", NpgsqlDbType.Bigint, after?.ZeroSince ?? long.MinValue),
            P("ab", NpgsqlDbType.Text, after?.Bucket ?? ""), P("as", NpgsqlDbType.Text, after?.Sha256 ?? ""), P("n", NpgsqlDbType.Integer, limit));

    public async Task<bool> DeleteBlobRowIfUnreferencedAsync(string bucket, string sha256, long zeroBefore, CancellationToken ct)
    {
        await using var cmd = Command("DELETE FROM blobs WHERE bk=@b AND sha256=@s AND refs<=0 AND zero_since<=@z",
            P("b", NpgsqlDbType.Text, bucket), P("s", NpgsqlDbType.Text, sha256), P("z", NpgsqlDbType.Bigint, zeroBefore));
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>
    /// Creates the expression indexes of a metadata key (one per <see cref="SqlQueryBuilder.MetaIndexExprs"/> entry)
    /// and records the key, in one transaction; an advisory lock keeps two processes from racing on the same name.
    /// </summary>
    public Task EnsureIndexAsync(string key, CancellationToken ct)
    {
        var exprs = SqlQueryBuilder.MetaIndexExprs(SqlDialect.Postgres, key);
        return CommitAsync(new ChangeSet { Sql = async (connection, tx, c) =>
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction?)tx);
            var lockCmd = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(@k)");
            lockCmd.Parameters.Add(P("k", NpgsqlDbType.Bigint, PostgresSchema.MetaIndexLock));
            batch.BatchCommands.Add(lockCmd);
            for (var i = 0; i < exprs.Count; i++)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"CREATE INDEX IF NOT EXISTS {PostgresSchema.MetaIndexName(key, i)} ON obj({exprs[i]}, id)"));
            }

            // Note that fresh statistics let the planner see how selective the new index is; without them it may
            // prefer the (pid, nm) index for a query scoped to one large directory and scan the whole directory.
            batch.BatchCommands.Add(new NpgsqlBatchCommand("ANALYZE obj"));
            var record = new NpgsqlBatchCommand("INSERT INTO meta_index(key) VALUES(@k) ON CONFLICT DO NOTHING");
            record.Parameters.Add(P("k", NpgsqlDbType.Text, key));
            batch.BatchCommands.Add(record);
            await batch.ExecuteNonQueryAsync(c);
        } }, ct);
    }

    private async Task<IReadOnlyList<BlobRow>> BlobsAsync(string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        await using var rd = await cmd.ExecuteReaderAsync(ct);
        var list = new List<BlobRow>();
        while (await rd.ReadAsync(ct))
        {
            list.Add(ReadBlob(rd));
        }

        return list;
    }
}
