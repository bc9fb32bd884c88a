using Npgsql;
using NpgsqlTypes;

namespace Grove.Tree.Internal.Postgres;

/// <summary>
/// The scale-out indexer: the <c>obj</c>, <c>blobs</c> and <c>meta_index</c> tables in a PostgreSQL database,
/// shared by every process that opens it. One pooled <see cref="NpgsqlDataSource"/> with automatic statement
/// preparation; each commit is one transaction whose statements travel in one batch, and every update and delete is
/// a version compare-and-swap, so READ COMMITTED suffices.
/// </summary>
internal sealed partial class PostgresIndexer : IIndexer
{
    private readonly NpgsqlDataSource _source;
    private readonly TimeProvider _time;

    private PostgresIndexer(NpgsqlDataSource source, TimeProvider time)
    {
        _source = source;
        _time = time;
    }

    public string Kind => "postgres";

    /// <summary>The pooled data source, shared with the chunk buckets of this database.</summary>
    internal NpgsqlDataSource Source => _source;

    public IndexerCapabilities Capabilities =>
        IndexerCapabilities.CustomMeta | IndexerCapabilities.Queries | IndexerCapabilities.KeysetListing | IndexerCapabilities.Transactions
        | IndexerCapabilities.InlineContent | IndexerCapabilities.VersionedUpdates | IndexerCapabilities.ExpressionIndexes | IndexerCapabilities.SqlStatements
        | IndexerCapabilities.SharedAcrossProcesses | IndexerCapabilities.UnreadDeletes;

    /// <summary>
    /// Connects to <paramref name="store"/> (a <c>postgres://</c> URL or an Npgsql connection string) and creates
    /// the schema if needed; safe when several processes start at once.
    /// </summary>
    public static async Task<PostgresIndexer> OpenAsync(string store, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(time);
        var source = NpgsqlDataSource.Create(PostgresStoreString.ToConnectionString(store));
        try
        {
            await using var connection = await source.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await using (var cmd = new NpgsqlCommand(PostgresSchema.Create, connection, tx))
            {
                cmd.Parameters.Add(P("lock", NpgsqlDbType.Bigint, PostgresSchema.SchemaLock));
                await cmd.ExecuteNonQueryAsync(ct);
            }

            await using (var chunks = new NpgsqlCommand(PgChunkSchema.Create, connection, tx))
            {
                await chunks.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
            return new PostgresIndexer(source, time);
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    public Task<TreeObject> InitializeAsync(string rootId, long now, CancellationToken ct) => RootRow.EnsureAsync(this, rootId, now, ct);

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private static NpgsqlParameter P(string name, NpgsqlDbType type, object? value) => new(name, type) { Value = value ?? DBNull.Value };

    private NpgsqlCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = _source.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters);
        return cmd;
    }

    private async Task<TreeObject?> OneAsync(string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        await using var rd = await cmd.ExecuteReaderAsync(ct);
        return await rd.ReadAsync(ct) ? RowCodec.Read(rd, withInline: true) : null;
    }

    private async Task<IReadOnlyList<TreeObject>> ManyAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using (cmd)
        {
            var list = new List<TreeObject>();
            await using var rd = await cmd.ExecuteReaderAsync(ct);
            while (await rd.ReadAsync(ct))
            {
                list.Add(RowCodec.Read(rd, withInline: false));
            }

            return list;
        }
    }

    private Task<IReadOnlyList<TreeObject>> ManyAsync(string sql, CancellationToken ct, params NpgsqlParameter[] parameters) =>
        ManyAsync(Command(sql, parameters), ct);
}
