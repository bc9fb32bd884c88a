using System.Data.Common;
using Grove.Tree.Storage;

namespace Grove.Queues.Internal;

/// <summary>
/// The message table <c>grove_mq</c> in the tree's database: one row per message file, FIFO by <c>seq</c>. Claims
/// take the first visible row; on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>, so consumers on several nodes never
/// wait on each other or take the same message.
/// </summary>
internal sealed class QueueStore(EngineStorage engines)
{
    private const string Columns = "seq, obj, name, deliveries, enq, vis";

    public static async Task MigrateAsync(EngineStorage engines, CancellationToken ct)
    {
        var serial = engines.Flavor == SqlFlavor.Postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
        await engines.MigrateAsync("mq", [SchemaMigration.Sql(1, "queue messages", $"""
            CREATE TABLE grove_mq (seq {serial}, queue TEXT NOT NULL, obj TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                enq BIGINT NOT NULL, vis BIGINT NOT NULL, deliveries INTEGER NOT NULL, receipt TEXT);
            CREATE INDEX grove_mq_ready ON grove_mq (queue, vis, seq);
            CREATE INDEX grove_mq_order ON grove_mq (queue, seq)
            """)], ct);
    }

    public sealed record Row(long Seq, string Obj, string Name, int Deliveries, long Enqueued, long VisibleAt)
    {
        /// <summary>The message this row is, in the queue at <paramref name="queuePath"/>.</summary>
        public QueueMessage ToMessage(string queuePath) => new(Seq, Obj, queuePath + "/" + Name, Deliveries, Enqueued, VisibleAt);
    }

    /// <summary>
    /// Claims up to <paramref name="max"/> visible messages of a queue in one statement, oldest first: invisible until
    /// <paramref name="until"/>, one more delivery each, all stored under <paramref name="receipt"/> (a claimed message's
    /// receipt is its sequence number and that secret, so the receipts of one claim differ).
    /// </summary>
    public async Task<IReadOnlyList<Row>> ClaimAsync(string queue, long now, long until, string receipt, int max, CancellationToken ct)
    {
        var pick = "SELECT seq FROM grove_mq WHERE queue = @q AND vis <= @now ORDER BY seq LIMIT @n"
            + (engines.Flavor == SqlFlavor.Postgres ? " FOR UPDATE SKIP LOCKED" : "");
        var where = max == 1 ? $"seq = ({pick})" : $"seq IN ({pick})";
        await using var c = await engines.OpenConnectionAsync(ct);
        var rows = await ReadAsync(c, $"UPDATE grove_mq SET vis = @until, deliveries = deliveries + 1, receipt = @r WHERE {where} RETURNING {Columns}", ct,
            ("q", queue), ("now", now), ("until", until), ("r", receipt), ("n", max));
        rows.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return rows;
    }

    /// <summary>The message with this sequence number, its queue and its receipt.</summary>
    public async Task<(Row Row, string Queue, string? Receipt)?> GetAsync(long seq, CancellationToken ct)
    {
        await using var c = await engines.OpenConnectionAsync(ct);
        await using var cmd = Command(c, null, $"SELECT {Columns}, queue, receipt FROM grove_mq WHERE seq = @s", ("s", seq));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (Read(r), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)) : null;
    }

    /// <summary>The messages with these sequence numbers (those that still exist), with their queue and receipt.</summary>
    public async Task<IReadOnlyList<(Row Row, string Queue, string? Receipt)>> GetManyAsync(IReadOnlyList<long> seqs, CancellationToken ct)
    {
        var list = new List<(Row, string, string?)>(seqs.Count);
        await using var c = await engines.OpenConnectionAsync(ct);
        foreach (var chunk in seqs.Distinct().Chunk(200))
        {
            var names = chunk.Select((_, i) => "s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            await using var cmd = Command(c, null, $"SELECT {Columns}, queue, receipt FROM grove_mq WHERE seq IN ({string.Join(", ", names.Select(n => "@" + n))})",
                [.. chunk.Select((s, i) => (names[i], (object?)s))]);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                list.Add((Read(r), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)));
            }
        }

        return list;
    }

    /// <summary>The message whose file is <paramref name="obj"/>.</summary>
    public async Task<Row?> ByObjectAsync(string obj, CancellationToken ct)
    {
        await using var c = await engines.OpenConnectionAsync(ct);
        var rows = await ReadAsync(c, $"SELECT {Columns} FROM grove_mq WHERE obj = @o", ct, ("o", obj));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Makes a held message visible again at <paramref name="visibleAt"/>; false when the receipt no longer holds it.</summary>
    public async Task<bool> ReleaseAsync(long seq, string receipt, long now, long visibleAt, CancellationToken ct)
    {
        await using var c = await engines.OpenConnectionAsync(ct);
        return await ExecAsync(c, null, "UPDATE grove_mq SET vis = @v, receipt = NULL WHERE seq = @s AND receipt = @r AND vis > @now", ct,
            ("v", visibleAt), ("s", seq), ("r", receipt), ("now", now)) == 1;
    }

    /// <summary>Removes a message row (its file is gone).</summary>
    public async Task DropAsync(long seq, CancellationToken ct)
    {
        await using var c = await engines.OpenConnectionAsync(ct);
        await ExecAsync(c, null, "DELETE FROM grove_mq WHERE seq = @s", ct, ("s", seq));
    }

    /// <summary>A queue's messages in FIFO order after <paramref name="afterSeq"/>.</summary>
    public async Task<IReadOnlyList<Row>> ListAsync(string queue, long afterSeq, int limit, CancellationToken ct)
    {
        await using var c = await engines.OpenConnectionAsync(ct);
        return await ReadAsync(c, $"SELECT {Columns} FROM grove_mq WHERE queue = @q AND seq > @a ORDER BY seq LIMIT @n", ct, ("q", queue), ("a", afterSeq), ("n", limit));
    }

    /// <summary>Depth, messages in flight and the oldest enqueue time, per queue (or of one).</summary>
    public async Task<IReadOnlyList<(string Queue, long Depth, long InFlight, long? Oldest)>> StatsAsync(string? queue, long now, CancellationToken ct)
    {
        await using var c = await engines.OpenConnectionAsync(ct);
        await using var cmd = Command(c, null, $"""
            SELECT queue, count(*), sum(CASE WHEN receipt IS NOT NULL AND vis > @now THEN 1 ELSE 0 END), min(enq)
            FROM grove_mq {(queue is null ? "" : "WHERE queue = @q")} GROUP BY queue ORDER BY queue
            """, ("now", now), ("q", queue));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(string, long, long, long?)>();
        while (await r.ReadAsync(ct))
        {
            list.Add((r.GetString(0), r.GetInt64(1), r.IsDBNull(2) ? 0 : r.GetInt64(2), r.IsDBNull(3) ? null : r.GetInt64(3)));
        }

        return list;
    }

    /// <summary>Adds a message row in a tree change's transaction; <paramref name="enqueued"/> gets its sequence number.</summary>
    public static EngineStatement Enqueue(string queue, string obj, string name, long at, Action<long> enqueued) =>
        new("INSERT INTO grove_mq (queue, obj, name, enq, vis, deliveries) VALUES (@q, @o, @n, @a, @a, 0) RETURNING seq", ("q", queue), ("o", obj), ("n", name), ("a", at))
        {
            Returned = v => enqueued(Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)),
        };

    /// <summary>
    /// Deletes the rows held by these receipts in a tree change's transaction; the change is refused with
    /// <paramref name="refusal"/> (and changes nothing) unless every one of them is still held.
    /// </summary>
    public static IEnumerable<EngineStatement> DeleteHeld(IReadOnlyList<(long Seq, string Receipt)> held, long now, Func<Exception> refusal)
    {
        foreach (var chunk in held.Chunk(200))
        {
            var args = new List<(string, object?)> { ("now", now) };
            var terms = new List<string>();
            foreach (var (seq, receipt) in chunk)
            {
                var i = args.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                terms.Add($"(seq = @s{i}x AND receipt = @r{i}x)");
                args.Add(("s" + i + "x", seq));
                args.Add(("r" + i + "x", receipt));
            }

            var sql = chunk.Length == 1 ? "DELETE FROM grove_mq WHERE seq = @s1x AND receipt = @r1x AND vis > @now"
                : $"DELETE FROM grove_mq WHERE vis > @now AND ({string.Join(" OR ", terms)})";
            yield return new EngineStatement(sql, [.. args]) { ExpectRows = chunk.Length, Refusal = refusal };
        }
    }

    public static async Task<int> ExecAsync(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<List<Row>> ReadAsync(DbConnection c, string sql, CancellationToken ct, params (string Name, object? Value)[] args)
    {
        await using var cmd = Command(c, null, sql, args);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<Row>();
        while (await r.ReadAsync(ct))
        {
            rows.Add(Read(r));
        }

        return rows;
    }

    private static Row Read(DbDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt64(4), r.GetInt64(5));

    private static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = EngineStorage.Command(c, tx, sql);
        foreach (var (name, value) in args)
        {
            if (sql.Contains("@" + name, StringComparison.Ordinal))
            {
                EngineStorage.Parameter(cmd, name, value);
            }
        }

        return cmd;
    }
}
