using Npgsql;
using NpgsqlTypes;

namespace Grove.Tree.Internal.Postgres;

/// <summary>
/// Leases in the <c>grove_leases</c> table, timed by the database's clock (so nodes' clocks need not agree), with
/// fencing tokens from one sequence.
/// </summary>
internal sealed class PostgresLeaseStore(NpgsqlDataSource source, string node) : ILeaseStore
{
    private const string NowMs = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

    public async Task<Lease?> TryAcquireAsync(string name, TimeSpan ttl, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await using var cmd = source.CreateCommand($"""
            INSERT INTO grove_leases (name, holder, token, until_ms)
            VALUES (@n, @h, nextval('grove_lease_token'), {NowMs} + @ttl)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = excluded.token, until_ms = excluded.until_ms
            WHERE grove_leases.until_ms <= {NowMs}
            RETURNING token, until_ms
            """);
        cmd.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Text) { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter("h", NpgsqlDbType.Text) { Value = node });
        cmd.Parameters.Add(new NpgsqlParameter("ttl", NpgsqlDbType.Bigint) { Value = (long)ttl.TotalMilliseconds });
        await using var rd = await cmd.ExecuteReaderAsync(ct);
        return await rd.ReadAsync(ct)
            ? new Lease(name, node, rd.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(rd.GetInt64(1)))
            : null;
    }

    public async Task<bool> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var cmd = source.CreateCommand($"UPDATE grove_leases SET until_ms = {NowMs} + @ttl WHERE name = @n AND token = @t");
        cmd.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Text) { Value = lease.Name });
        cmd.Parameters.Add(new NpgsqlParameter("t", NpgsqlDbType.Bigint) { Value = lease.Token });
        cmd.Parameters.Add(new NpgsqlParameter("ttl", NpgsqlDbType.Bigint) { Value = (long)ttl.TotalMilliseconds });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task ReleaseAsync(Lease lease, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var cmd = source.CreateCommand("DELETE FROM grove_leases WHERE name = @n AND token = @t");
        cmd.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Text) { Value = lease.Name });
        cmd.Parameters.Add(new NpgsqlParameter("t", NpgsqlDbType.Bigint) { Value = lease.Token });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<Lease?> HolderAsync(string name, CancellationToken ct)
    {
        await using var cmd = source.CreateCommand($"SELECT holder, token, until_ms FROM grove_leases WHERE name = @n AND until_ms > {NowMs}");
        cmd.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Text) { Value = name });
        await using var rd = await cmd.ExecuteReaderAsync(ct);
        return await rd.ReadAsync(ct)
            ? new Lease(name, rd.GetString(0), rd.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(rd.GetInt64(2)))
            : null;
    }
}
