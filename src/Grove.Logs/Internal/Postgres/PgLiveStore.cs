using System.Data;
using Grove.Tree.Cluster;
using Grove.Tree.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Grove.Logs.Internal.Postgres;

/// <summary>
/// The shared live store: tasks and chunks of lines in PostgreSQL, so any node appends to, reads and follows any
/// task. An append is one transaction holding the task row's lock (so two nodes never interleave), and announces
/// itself with <c>pg_notify</c>, delivered at commit to every node's listener.
/// </summary>
internal sealed partial class PgLiveStore : ILiveStore
{
    private readonly NpgsqlDataSource _source;
    private readonly IClusterBus _bus;
    private readonly PgConfig _config;
    private readonly IDisposable _subscription;

    private PgLiveStore(NpgsqlDataSource source, IClusterBus bus, PgConfig config)
    {
        _source = source;
        _bus = bus;
        _config = config;
        // Note that this node's own appends come back too: followers here wake the same way as anywhere else.
        _subscription = bus.Subscribe(PgSchema.Topic, m => Changed?.Invoke(m.Resync ? ILiveStore.Everything : m.Payload), includeOwn: true);
    }

    public Action<string>? Changed { get; set; }

    /// <summary>Opens the live tables in the tree's PostgreSQL database, creating them on first use.</summary>
    public static async Task<PgLiveStore> OpenAsync(EngineStorage storage, IClusterBus bus, PgConfig config, CancellationToken ct)
    {
        var source = storage.Postgres ?? throw LogException.Argument("the PostgreSQL live store needs a tree on PostgreSQL");
        await storage.MigrateAsync("logs", PgSchema.Migrations, ct);
        return new PgLiveStore(source, bus, config);
    }

    public async Task CreateAsync(string id, long now, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("INSERT INTO grove_log_tasks (task, activity) VALUES (@t, @now) ON CONFLICT DO NOTHING");
        cmd.Parameters.Add(Text("t", id));
        cmd.Parameters.Add(Long("now", now));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<LiveState?> GetStateAsync(string id, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand($"SELECT {PgSchema.StateColumns} FROM grove_log_tasks WHERE task = @t");
        cmd.Parameters.Add(Text("t", id));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? PgSchema.ReadState(r) : null;
    }

    public async Task<IReadOnlyDictionary<string, LiveState>> GetStatesAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand($"SELECT task, {PgSchema.StateColumns} FROM grove_log_tasks WHERE task = ANY(@ids)");
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids.ToArray() });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var found = new Dictionary<string, LiveState>(StringComparer.Ordinal);
        while (await r.ReadAsync(ct))
        {
            found[r.GetString(0)] = PgSchema.ReadState(r, 1);
        }

        return found;
    }

    public async Task<bool> TouchAsync(string id, long now, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand(
            "UPDATE grove_log_tasks SET activity = greatest(activity, @now) WHERE task = @t AND sealed IS NULL");
        cmd.Parameters.Add(Text("t", id));
        cmd.Parameters.Add(Long("now", now));
        if (await cmd.ExecuteNonQueryAsync(ct) == 1)
        {
            return true;
        }

        return await GetStateAsync(id, ct) is null ? false : throw LogException.Finished(id);
    }

    public async Task<LiveState?> SealAsync(string id, LogTaskStatus status, int? exitCode, long now, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand($"""
            UPDATE grove_log_tasks SET sealed = @s, exit_code = @e, sealed_at = @now, activity = @now
            WHERE task = @t AND sealed IS NULL RETURNING {PgSchema.StateColumns}
            """);
        cmd.Parameters.Add(Text("t", id));
        cmd.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Smallint) { Value = (short)status });
        cmd.Parameters.Add(new NpgsqlParameter("e", NpgsqlDbType.Integer) { Value = exitCode is { } e ? e : DBNull.Value });
        cmd.Parameters.Add(Long("now", now));
        LiveState? sealedState = null;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
            {
                sealedState = PgSchema.ReadState(r);
            }
        }

        if (sealedState is not null)
        {
            await _bus.PublishAsync(PgSchema.Topic, id, ct);
            return sealedState;
        }

        return await GetStateAsync(id, ct) is null ? null : throw LogException.Finished(id);
    }

    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(Command("DELETE FROM grove_log_chunks WHERE task = @t", id));
        batch.BatchCommands.Add(Command("DELETE FROM grove_log_tasks WHERE task = @t", id));
        await batch.ExecuteNonQueryAsync(ct);
        await _bus.PublishAsync(PgSchema.Topic, id, tx, ct);
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<string>> ListIdleAsync(long cutoff, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("SELECT task FROM grove_log_tasks WHERE sealed IS NULL AND activity < @c LIMIT 10000");
        cmd.Parameters.Add(Long("c", cutoff));
        return await IdsAsync(cmd, ct);
    }

    public async Task<IReadOnlyList<string>> ListSealedAsync(int limit, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("SELECT task FROM grove_log_tasks WHERE sealed IS NOT NULL ORDER BY sealed_at LIMIT @n");
        cmd.Parameters.Add(Long("n", Math.Min(limit, 100_000)));
        return await IdsAsync(cmd, ct);
    }

    private static async Task<IReadOnlyList<string>> IdsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var ids = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            ids.Add(r.GetString(0));
        }

        return ids;
    }

    private static NpgsqlBatchCommand Command(string sql, string id)
    {
        var c = new NpgsqlBatchCommand(sql);
        c.Parameters.Add(Text("t", id));
        return c;
    }

    private static NpgsqlParameter Text(string name, string value) => new(name, NpgsqlDbType.Text) { Value = value };

    private static NpgsqlParameter Long(string name, long value) => new(name, NpgsqlDbType.Bigint) { Value = value };

    // Note that the data source belongs to the tree.
    public ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        return ValueTask.CompletedTask;
    }

    private static IsolationLevel Snapshot => IsolationLevel.RepeatableRead;
}
