using Grove.Logs.Blocks;
using Npgsql;

namespace Grove.Logs.Internal.Postgres;

internal sealed partial class PgLiveStore
{
    public async Task<LiveRead?> ReadAsync(string id, long from, int limit, CancellationToken ct)
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(Snapshot, ct);
        LiveState state;
        await using (var cmd = new NpgsqlCommand($"SELECT {PgSchema.StateColumns} FROM grove_log_tasks WHERE task = @t", connection, tx))
        {
            cmd.Parameters.Add(Text("t", id));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return null;
            }

            state = PgSchema.ReadState(r);
        }

        var lines = from < state.Next ? await ReadLinesAsync(connection, tx, id, from, limit, ct) : [];
        await tx.CommitAsync(ct);
        return new LiveRead(lines, state);
    }

    /// <summary>Stored lines from <paramref name="from"/> on, fetching a few chunks at a time until <paramref name="limit"/>.</summary>
    private static async Task<List<LogLine>> ReadLinesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id, long from, int limit, CancellationToken ct)
    {
        var lines = new List<LogLine>(Math.Min(limit, 4096));
        var first = true;
        var after = long.MinValue;
        while (lines.Count < limit)
        {
            var sql = first
                ? """
                  SELECT first_line, data FROM grove_log_chunks WHERE task = @t AND last_line >= @from
                    AND first_line >= coalesce((SELECT max(first_line) FROM grove_log_chunks WHERE task = @t AND first_line <= @from), 0)
                  ORDER BY first_line LIMIT @n
                  """
                : "SELECT first_line, data FROM grove_log_chunks WHERE task = @t AND first_line > @after ORDER BY first_line LIMIT @n";
            await using var cmd = new NpgsqlCommand(sql, connection, tx);
            cmd.Parameters.Add(Text("t", id));
            cmd.Parameters.Add(Long("from", from));
            cmd.Parameters.Add(Long("after", after));
            cmd.Parameters.Add(Long("n", ChunksPerQuery));
            var rows = 0;
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                while (await r.ReadAsync(ct))
                {
                    rows++;
                    after = r.GetInt64(0);
                    var data = (byte[])r.GetValue(1);
                    try
                    {
                        lines.AddRange(LineBlockReader.ReadAll(data, from, limit - lines.Count));
                    }
                    catch (FormatException e)
                    {
                        throw LogException.Corrupt($"a live chunk of task '{id}' is malformed: {e.Message}");
                    }
                }
            }

            if (rows < ChunksPerQuery)
            {
                break;
            }

            first = false;
        }

        return lines;
    }
}
