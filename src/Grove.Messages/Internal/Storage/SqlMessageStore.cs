using System.Data.Common;
using System.Text;
using Grove.Tree.Storage;
using Microsoft.Data.Sqlite;

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

    private sealed record Pending(NewMessage Message, object Doc, TaskCompletionSource<long?> Done);

    /// <summary>
    /// Group commit: inserts that arrive while a commit runs queue up, and the next committer inserts them all in one
    /// transaction (one fsync for many messages). A conflict on the source id inserts nothing for that message; the
    /// first one is then read and returned.
    /// </summary>
    public async Task<StoredMessage> InsertAsync(NewMessage m, CancellationToken ct)
    {
        // Note that the document is compressed here, on the caller's thread, not by the committer that writes the batch.
        var pending = new Pending(m, StoredDocument(m.Document), new TaskCompletionSource<long?>(TaskCreationOptions.RunContinuationsAsynchronously));
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
            // Note that the document is not decoded back to text here: a receive answers without it.
            return new StoredMessage(id, m.Partner, m.Type, m.ReceivedMs, m.SourceId, m.Revision, "", null, m.Format);
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
                await using (var insert = InsertCommand(c, tx))
                {
                    for (var i = 0; i < batch.Count; i++)
                    {
                        ids[i] = await TryInsertAsync(insert, batch[i].Message, batch[i].Doc, CancellationToken.None);
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
        await using var insert = InsertCommand(c, tx);
        var stored = 0;
        foreach (var m in messages)
        {
            stored += await TryInsertAsync(insert, m, StoredDocument(m.Document), ct) is null ? 0 : 1;
        }

        await tx.CommitAsync(ct);
        return stored;
    }

    /// <summary>
    /// The document as the doc column keeps it: on SQLite a Zstandard blob (a TEXT value there is a document stored
    /// before compression, or by a migration; <c>grove_msg_doc</c> reads both), on PostgreSQL jsonb (TOAST compresses it).
    /// </summary>
    private object StoredDocument(byte[] document) =>
        _pg ? Encoding.UTF8.GetString(document) : BodyCodec.Compress(document);

    private DbCommand InsertCommand(DbConnection c, DbTransaction? tx)
    {
        var cmd = EngineStorage.Command(c, tx, $"""
            INSERT INTO grove_msg_messages (partner, type, received, source_id, rev, k1, k2, k3, k4, fmt, doc, body)
            VALUES (@p, @t, @r, @s, @rev, @k1, @k2, @k3, @k4, @fmt, {DocParameter}, @body)
            ON CONFLICT DO NOTHING RETURNING id
            """);
        foreach (var n in InsertParameters)
        {
            EngineStorage.Parameter(cmd, n, null);
        }

        return cmd;
    }

    private static readonly string[] InsertParameters = ["p", "t", "r", "s", "rev", "k1", "k2", "k3", "k4", "fmt", "doc", "body"];

    private static async Task<long?> TryInsertAsync(DbCommand cmd, NewMessage m, object doc, CancellationToken ct)
    {
        var p = cmd.Parameters;
        p[0].Value = m.Partner;
        p[1].Value = m.Type;
        p[2].Value = m.ReceivedMs;
        p[3].Value = (object?)m.SourceId ?? DBNull.Value;
        p[4].Value = m.Revision;
        for (var i = 0; i < 4; i++)
        {
            p[5 + i].Value = i < m.Keys.Count && m.Keys[i].Value is { } v ? MessageSchema.KeyTerm(m.Keys[i].Key, v) : DBNull.Value;
        }

        p[9].Value = (short)m.Format;
        p[10].Value = doc;
        p[11].Value = m.Body;
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
        if (c is SqliteConnection sqlite)
        {
            sqlite.CreateFunction("grove_msg_doc", (object value) => DocumentText(value), isDeterministic: true);
        }

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
        DocumentText(r.GetValue(7)),
        withBody ? (byte[])r.GetValue(8) : null,
        (SourceFormat)Convert.ToInt32(r.GetValue(6), System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The document's JSON from the doc column's value (a compressed blob or text).</summary>
    internal static string DocumentText(object value) => value switch
    {
        byte[] z => Encoding.UTF8.GetString(BodyCodec.Decompress(z)),
        string s => s,
        _ => throw new InvalidDataException("a stored document is neither text nor a blob"),
    };

    public Task<MigrationRun?> GetRunAsync(string run, CancellationToken ct) => _migration.GetRunAsync(run, ct);

    public Task SaveRunAsync(MigrationRun run, CancellationToken ct) => _migration.SaveRunAsync(run, ct);

    public Task FinishRunAsync(string run, long finishedMs, CancellationToken ct) => _migration.FinishRunAsync(run, finishedMs, ct);

    public Task<IReadOnlyList<RangeCheckpoint>> CheckpointsAsync(string run, CancellationToken ct) => _migration.CheckpointsAsync(run, ct);

    public Task<long> WriteRangeAsync(RangeCheckpoint checkpoint, IReadOnlyList<NewMessage> messages, Func<Task>? midway, CancellationToken ct) =>
        _migration.WriteRangeAsync(checkpoint, messages, midway, ct);

    public Task<(long Messages, long Fields)> CountOriginAsync(string run, CancellationToken ct) => _migration.CountOriginAsync(run, ct);
}
