using System.Data.Common;
using System.Text;
using Grove.Tree.Storage;

namespace Grove.Messages.Internal.Storage;

/// <summary>Messages in the engine's own tables of the tree's database (SQLite or PostgreSQL), through <see cref="EngineStorage"/>.</summary>
internal sealed class SqlMessageStore(EngineStorage storage) : IMessageStore
{
    private const string Columns = "id, partner, type, received, source_id, rev, fmt";

    private readonly bool _pg = storage.Flavor == SqlFlavor.Postgres;
    private readonly SqlMigrationStore _migration = new(storage);

    public SqlFlavor Flavor => storage.Flavor;

    private string DocColumn => _pg ? "doc::text" : "doc";

    private string DocParameter => _pg ? "CAST(@doc AS jsonb)" : "@doc";

    public Task InitializeAsync(CancellationToken ct) =>
        storage.MigrateAsync(MessageSchema.Engine, MessageSchema.For(storage.Flavor), ct);

    private readonly Lock _gate = new();
    private List<Pending> _queue = [];
    private bool _committing;

    private sealed record Pending(NewMessage Message, TaskCompletionSource<long?> Done);

    /// <summary>
    /// Group commit: inserts that arrive while a commit runs queue up, and the next committer inserts them all in one
    /// transaction (one fsync for many messages). A conflict on the source id inserts nothing for that message; the
    /// first one is then read and returned.
    /// </summary>
    public async Task<StoredMessage> InsertAsync(NewMessage m, CancellationToken ct)
    {
        var pending = new Pending(m, new TaskCompletionSource<long?>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool lead;
        lock (_gate)
        {
            _queue.Add(pending);
            lead = !_committing;
            _committing = true;
        }

        if (lead)
        {
            await CommitQueuedAsync();
        }

        if (await pending.Done.Task is { } id)
        {
            return new StoredMessage(id, m.Partner, m.Type, m.ReceivedMs, m.SourceId, m.Revision, m.DocumentJson, null, m.Format);
        }

        // Note that a conflict means the source id is taken: the first answer stands.
        return (await FindAsync(m.Partner, m.SourceId!, false, ct) ?? throw new InvalidOperationException("message insert conflicted but no conflicting row was found")) with { Existing = true };
    }

    private async Task CommitQueuedAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _committing = false;
                    return;
                }

                batch = _queue;
                _queue = [];
            }

            try
            {
                var ids = new long?[batch.Count];
                await using (var c = await storage.OpenConnectionAsync(CancellationToken.None))
                await using (var tx = await c.BeginTransactionAsync(CancellationToken.None))
                {
                    for (var i = 0; i < batch.Count; i++)
                    {
                        ids[i] = await TryInsertAsync(c, tx, batch[i].Message, CancellationToken.None);
                    }

                    await tx.CommitAsync(CancellationToken.None);
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(ids[i]);
                }
            }
            catch (Exception e)
            {
                foreach (var p in batch)
                {
                    p.Done.TrySetException(e);
                }
            }
        }
    }

    public async Task<int> InsertManyAsync(IReadOnlyList<NewMessage> messages, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var stored = 0;
        foreach (var m in messages)
        {
            stored += await TryInsertAsync(c, tx, m, ct) is null ? 0 : 1;
        }

        await tx.CommitAsync(ct);
        return stored;
    }

    private async Task<long?> TryInsertAsync(DbConnection c, DbTransaction? tx, NewMessage m, CancellationToken ct)
    {
        await using var cmd = EngineStorage.Command(c, tx, $"""
            INSERT INTO grove_msg_messages (partner, type, received, source_id, rev, k1, k2, k3, k4, fmt, doc, body)
            VALUES (@p, @t, @r, @s, @rev, @k1, @k2, @k3, @k4, @fmt, {DocParameter}, @body)
            ON CONFLICT DO NOTHING RETURNING id
            """);
        EngineStorage.Parameter(cmd, "p", m.Partner);
        EngineStorage.Parameter(cmd, "t", m.Type);
        EngineStorage.Parameter(cmd, "r", m.ReceivedMs);
        EngineStorage.Parameter(cmd, "s", m.SourceId);
        EngineStorage.Parameter(cmd, "rev", m.Revision);
        for (var i = 0; i < 4; i++)
        {
            var key = i < m.Keys.Count && m.Keys[i].Value is { } v ? MessageSchema.KeyTerm(m.Keys[i].Key, v) : null;
            EngineStorage.Parameter(cmd, "k" + (i + 1), key);
        }

        EngineStorage.Parameter(cmd, "fmt", (short)m.Format);
        EngineStorage.Parameter(cmd, "doc", m.DocumentJson);
        EngineStorage.Parameter(cmd, "body", m.Body);
        var id = await cmd.ExecuteScalarAsync(ct);
        return id is null or DBNull ? null : Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<StoredMessage?> GetAsync(long id, bool withBody, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, $"SELECT {Columns}, {DocColumn}{(withBody ? ", body" : "")} FROM grove_msg_messages WHERE id = @id");
        EngineStorage.Parameter(cmd, "id", id);
        return await ReadOneAsync(cmd, withBody, ct);
    }

    public async Task<StoredMessage?> FindAsync(string partner, string sourceId, bool withBody, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        return await FindAsync(c, partner, sourceId, withBody, ct);
    }

    private async Task<StoredMessage?> FindAsync(DbConnection c, string partner, string sourceId, bool withBody, CancellationToken ct)
    {
        await using var cmd = EngineStorage.Command(c, null, $"SELECT {Columns}, {DocColumn}{(withBody ? ", body" : "")} FROM grove_msg_messages WHERE partner = @p AND source_id = @s");
        EngineStorage.Parameter(cmd, "p", partner);
        EngineStorage.Parameter(cmd, "s", sourceId);
        return await ReadOneAsync(cmd, withBody, ct);
    }

    public async Task<IReadOnlyList<StoredMessage>> QueryAsync(StoreQuery q, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, "");
        var sql = new StringBuilder($"SELECT {Columns}, {DocColumn} FROM grove_msg_messages WHERE 1=1");
        void Add(string clause, string name, object? value)
        {
            sql.Append(" AND ").Append(clause);
            EngineStorage.Parameter(cmd, name, value);
        }

        if (q.Partner is not null)
        {
            Add("partner = @p", "p", q.Partner);
        }

        if (q.Type is not null)
        {
            Add("type = @t", "t", q.Type);
        }

        if (q.FromMs is { } from)
        {
            Add("received >= @from", "from", from);
        }

        if (q.ToMs is { } to)
        {
            Add("received < @to", "to", to);
        }

        for (var i = 0; i < q.KeyTerms.Count; i++)
        {
            var n = "@k" + i;
            Add($"({n} IN (k1, k2, k3, k4))", n[1..], q.KeyTerms[i]);
        }

        if (q.BeforeId is { } before)
        {
            Add("id < @before", "before", before);
        }

        if (q.Ids is { Count: > 0 } ids)
        {
            sql.Append(" AND id IN (").Append(string.Join(", ", ids.Select((_, i) => "@id" + i))).Append(')');
            for (var i = 0; i < ids.Count; i++)
            {
                EngineStorage.Parameter(cmd, "id" + i, ids[i]);
            }
        }

        if (q.Where is { } w)
        {
            sql.Append(" AND (").Append(w.Sql).Append(')');
            foreach (var (name, value) in w.Parameters)
            {
                EngineStorage.Parameter(cmd, name[1..], value);
            }
        }

        sql.Append(" ORDER BY id DESC LIMIT @limit");
        EngineStorage.Parameter(cmd, "limit", q.Limit);
        cmd.CommandText = sql.ToString();
        var list = new List<StoredMessage>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(Read(r, false));
        }

        return list;
    }

    public async Task SaveMappingAsync(string partner, string type, long revision, string content, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, "INSERT INTO grove_msg_mappings (partner, type, rev, content) VALUES (@p, @t, @r, @c) ON CONFLICT DO NOTHING");
        EngineStorage.Parameter(cmd, "p", partner);
        EngineStorage.Parameter(cmd, "t", type);
        EngineStorage.Parameter(cmd, "r", revision);
        EngineStorage.Parameter(cmd, "c", content);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<string?> GetMappingAsync(string partner, string type, long revision, CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        await using var cmd = EngineStorage.Command(c, null, "SELECT content FROM grove_msg_mappings WHERE partner = @p AND type = @t AND rev = @r");
        EngineStorage.Parameter(cmd, "p", partner);
        EngineStorage.Parameter(cmd, "t", type);
        EngineStorage.Parameter(cmd, "r", revision);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    public async Task<(long Count, long Bytes)> StatsAsync(CancellationToken ct)
    {
        await using var c = await storage.OpenConnectionAsync(ct);
        var sql = _pg
            ? "SELECT count(*), coalesce(sum(pg_column_size(doc) + pg_column_size(body)), 0) FROM grove_msg_messages"
            : "SELECT count(*), coalesce(sum(length(CAST(doc AS BLOB)) + length(body)), 0) FROM grove_msg_messages";
        await using var cmd = EngineStorage.Command(c, null, sql);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (r.GetInt64(0), Convert.ToInt64(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<StoredMessage?> ReadOneAsync(DbCommand cmd, bool withBody, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r, withBody) : null;
    }

    private static StoredMessage Read(DbDataReader r, bool withBody) => new(
        r.GetInt64(0),
        r.GetString(1),
        r.GetString(2),
        r.GetInt64(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.GetInt64(5),
        r.GetString(7),
        withBody ? (byte[])r.GetValue(8) : null,
        (SourceFormat)Convert.ToInt32(r.GetValue(6), System.Globalization.CultureInfo.InvariantCulture));

    public Task<MigrationRun?> GetRunAsync(string run, CancellationToken ct) => _migration.GetRunAsync(run, ct);

    public Task SaveRunAsync(MigrationRun run, CancellationToken ct) => _migration.SaveRunAsync(run, ct);

    public Task FinishRunAsync(string run, long finishedMs, CancellationToken ct) => _migration.FinishRunAsync(run, finishedMs, ct);

    public Task<IReadOnlyList<RangeCheckpoint>> CheckpointsAsync(string run, CancellationToken ct) => _migration.CheckpointsAsync(run, ct);

    public Task<long> WriteRangeAsync(RangeCheckpoint checkpoint, IReadOnlyList<NewMessage> messages, Func<Task>? midway, CancellationToken ct) =>
        _migration.WriteRangeAsync(checkpoint, messages, midway, ct);

    public Task<(long Messages, long Fields)> CountOriginAsync(string run, CancellationToken ct) => _migration.CountOriginAsync(run, ct);
}
