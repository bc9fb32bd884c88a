using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Grove.Tree.Internal.Postgres;

/// <summary>Engine tables in the store's PostgreSQL database, over the tree's own pooled data source.</summary>
internal sealed class PostgresEngineStorage(NpgsqlDataSource source) : EngineStorage
{
    public override SqlFlavor Flavor => SqlFlavor.Postgres;

    public override NpgsqlDataSource Postgres => source;

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken ct) => await source.OpenConnectionAsync(ct);

    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, string engine, CancellationToken ct)
    {
        var tx = await ((NpgsqlConnection)connection).BeginTransactionAsync(ct);
        // Note that nodes starting together wait here for the first one's migration instead of racing it.
        await using var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('grove_schema:' || @e, 0))", (NpgsqlConnection)connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter("e", NpgsqlDbType.Text) { Value = engine });
        await cmd.ExecuteNonQueryAsync(ct);
        return tx;
    }

    // Note that the data source belongs to the tree's indexer, which disposes it.
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
