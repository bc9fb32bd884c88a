using Grove.Logs.Blocks;
using Npgsql;
using NpgsqlTypes;

namespace Grove.Logs.Internal.Postgres;

internal sealed partial class PgLiveStore
{
    private const int ChunksPerQuery = 16;

    public async Task<AppendPlan?> AppendAsync(string id, IReadOnlyList<LogLine> lines, IReadOnlyList<int>? cut, long now, CancellationToken ct)
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        LiveState state;
        await using (var lockRow = new NpgsqlCommand($"SELECT {PgSchema.StateColumns} FROM grove_log_tasks WHERE task = @t FOR UPDATE", connection, tx))
        {
            lockRow.Parameters.Add(Text("t", id));
            await using var r = await lockRow.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return null;
            }

            state = PgSchema.ReadState(r);
        }

        var first = lines[0].Number;
        var overlap = (int)Math.Clamp(state.Next - first, 0, lines.Count);
        IReadOnlyList<LogLine> stored = overlap > 0 && state.Sealed is null ? await ReadLinesAsync(connection, tx, id, first, overlap, ct) : [];
        var plan = AppendPlan.Make(id, state, lines, cut, stored, _config.HeadBudget, now);
        var after = plan.After;
        if (plan.Accepted > 0)
        {
            await InsertChunksAsync(connection, tx, id, plan, ct);
            after = await DropTailAsync(connection, tx, id, after, ct);
        }

        await using (var update = new NpgsqlCommand("""
            UPDATE grove_log_tasks SET next_line = @next, bytes = @bytes, head_bytes = @hb, head_end = @he, first_tail = @ft,
                dropped_bytes = @db, tail_bytes = @tb, lines_cut = @cut, activity = @now WHERE task = @t
            """, connection, tx))
        {
            update.Parameters.Add(Text("t", id));
            update.Parameters.Add(Long("next", after.Next));
            update.Parameters.Add(Long("bytes", after.Bytes));
            update.Parameters.Add(Long("hb", after.HeadBytes));
            update.Parameters.Add(Long("he", after.HeadEnd));
            update.Parameters.Add(Long("ft", after.FirstTail));
            update.Parameters.Add(Long("db", after.DroppedBytes));
            update.Parameters.Add(Long("tb", after.TailBytes));
            update.Parameters.Add(Long("cut", after.LinesCut));
            update.Parameters.Add(Long("now", now));
            await update.ExecuteNonQueryAsync(ct);
        }

        if (plan.Accepted > 0)
        {
            await _bus.PublishAsync(PgSchema.Topic, id, tx, ct);
        }

        await tx.CommitAsync(ct);
        return plan;
    }

    private static async Task InsertChunksAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id, AppendPlan plan, CancellationToken ct)
    {
        var n = plan.Records.Count;
        var firsts = new long[n];
        var lasts = new long[n];
        var tails = new bool[n];
        var bytes = new long[n];
        var datas = new byte[n][];
        using var buffer = new ByteBuffer(64 * 1024);
        for (var i = 0; i < n; i++)
        {
            var record = plan.Records[i];
            buffer.Clear();
            var block = new LineBlockWriter(buffer);
            for (var j = record.Start; j < record.Start + record.Count; j++)
            {
                block.Add(plan.Lines[j]);
            }

            block.End();
            firsts[i] = plan.Lines[record.Start].Number;
            lasts[i] = plan.Lines[record.Start + record.Count - 1].Number;
            tails[i] = record.Tail;
            bytes[i] = record.TextBytes;
            datas[i] = buffer.Span.ToArray();
        }

        await using var insert = new NpgsqlCommand("""
            INSERT INTO grove_log_chunks (task, first_line, last_line, tail, text_bytes, data)
            SELECT @t, * FROM unnest(@f, @l, @tail, @b, @d)
            """, connection, tx);
        insert.Parameters.Add(Text("t", id));
        insert.Parameters.Add(new NpgsqlParameter("f", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = firsts });
        insert.Parameters.Add(new NpgsqlParameter("l", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = lasts });
        insert.Parameters.Add(new NpgsqlParameter("tail", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = tails });
        insert.Parameters.Add(new NpgsqlParameter("b", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = bytes });
        insert.Parameters.Add(new NpgsqlParameter("d", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = datas });
        await insert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Drops the oldest tail chunks while the kept tail is over budget, never the newest one.</summary>
    private async Task<LiveState> DropTailAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string id, LiveState after, CancellationToken ct)
    {
        while (after.HeadEnd >= 0 && after.TailBytes > _config.TailBudget)
        {
            var chunks = new List<(long First, long Bytes)>();
            await using (var list = new NpgsqlCommand(
                "SELECT first_line, text_bytes FROM grove_log_chunks WHERE task = @t AND tail AND first_line >= @ft ORDER BY first_line LIMIT 256",
                connection, tx))
            {
                list.Parameters.Add(Text("t", id));
                list.Parameters.Add(Long("ft", after.FirstTail));
                await using var r = await list.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    chunks.Add((r.GetInt64(0), r.GetInt64(1)));
                }
            }

            var i = 0;
            while (after.TailBytes > _config.TailBudget && chunks.Count - i > 1)
            {
                after = after with
                {
                    FirstTail = chunks[i + 1].First,
                    TailBytes = after.TailBytes - chunks[i].Bytes,
                    DroppedBytes = after.DroppedBytes + chunks[i].Bytes,
                };
                i++;
            }

            if (i == 0)
            {
                return after;
            }

            await using var delete = new NpgsqlCommand("DELETE FROM grove_log_chunks WHERE task = @t AND tail AND first_line < @ft", connection, tx);
            delete.Parameters.Add(Text("t", id));
            delete.Parameters.Add(Long("ft", after.FirstTail));
            await delete.ExecuteNonQueryAsync(ct);
        }

        return after;
    }
}
