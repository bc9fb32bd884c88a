using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grove.Records;
using Grove.Tree.Storage;

namespace Grove.Messages.Internal.Storage;

/// <summary>
/// Messages stored through the records engine (<see cref="MessageSets"/>): concurrent receives share one batch insert
/// (group commit) in which a taken <c>(partner, source_id)</c> is skipped and the first message returned; a migration's
/// range is one batch insert whose transaction also writes the range's checkpoint. Reads go through records' finds
/// (not its hot cache: a message row carries kilobytes); a filter over mapped fields is applied to the documents of
/// the pages records returns, so a page holds only matches and its cursor is the last one.
/// </summary>
internal sealed class RecordMessageStore : IMessageStore
{
    private static readonly string[] Summary = ["id", "partner", "type", "received", "source_id", "rev", "fmt", "doc"];
    private static readonly string[] WithBody = [.. Summary, "body"];
    private static readonly RecordWriteOptions Receive = new() { SkipDuplicates = true, Returning = ["id"] };

    private readonly RecordService _records;
    private readonly HistoryPolicy? _history;
    private readonly MigrationLedger _ledger;
    private readonly GroupCommit<IReadOnlyDictionary<string, object?>, long?> _commits;

    public RecordMessageStore(RecordService records, HistoryPolicy? history)
    {
        _records = records;
        _history = history;
        _ledger = new MigrationLedger(records.Storage);
        _commits = new(async rows => (await records.InsertManyAsync(MessageSets.Messages, rows, Receive, CancellationToken.None)).Select(r => (long?)r?["id"]).ToArray());
    }

    public SqlFlavor Flavor => _records.Storage.Flavor;

    public async Task InitializeAsync(CancellationToken ct)
    {
        await _records.Storage.MigrateAsync(MessageSchema.Engine, MessageSchema.For(Flavor), ct);
        await MessageSets.EnsureAsync(_records, _history, ct);
    }

    public async Task<StoredMessage> InsertAsync(NewMessage m, CancellationToken ct)
    {
        // Note that the document is compressed here, on the caller's thread, not by the committer that writes the batch.
        if (await _commits.WriteAsync(Row(m)) is { } id)
        {
            return new StoredMessage(id, m.Partner, m.Type, m.ReceivedMs, m.SourceId, m.Revision, "", null, m.Format);
        }

        // Note that a skipped insert means the source id is taken: the first answer stands.
        return (await FindAsync(m.Partner, m.SourceId!, false, ct) ?? throw new InvalidOperationException("message insert was skipped but no message holds its source id")) with { Existing = true };
    }

    public async Task<int> InsertManyAsync(IReadOnlyList<NewMessage> messages, CancellationToken ct) =>
        (await _records.InsertManyAsync(MessageSets.Messages, [.. messages.Select(Row)], Receive, ct)).Count(r => r is not null);

    private static Dictionary<string, object?> Row(NewMessage m)
    {
        var row = new Dictionary<string, object?>(13, StringComparer.Ordinal)
        {
            ["partner"] = m.Partner,
            ["type"] = m.Type,
            ["received"] = m.ReceivedMs,
            ["source_id"] = m.SourceId,
            ["rev"] = m.Revision,
            ["fmt"] = (int)m.Format,
            ["doc"] = m.DocumentCompressed ? m.Document : BodyCodec.Compress(m.Document),
            ["body"] = m.Body,
            ["origin"] = m.Origin,
        };
        for (var i = 0; i < MessageSets.KeyColumns.Length; i++)
        {
            row[MessageSets.KeyColumns[i]] = i < m.Keys.Count && m.Keys[i].Value is { } v ? MessageSchema.KeyTerm(m.Keys[i].Key, v) : null;
        }

        return row;
    }

    public Task<StoredMessage?> GetAsync(long id, bool withBody, CancellationToken ct) =>
        FirstAsync(new JsonObject { ["id"] = id }, withBody, ct);

    public Task<StoredMessage?> FindAsync(string partner, string sourceId, bool withBody, CancellationToken ct) =>
        FirstAsync(new JsonObject { ["partner"] = partner, ["source_id"] = sourceId }, withBody, ct);

    private async Task<StoredMessage?> FirstAsync(JsonObject where, bool withBody, CancellationToken ct)
    {
        var page = await _records.FindAsync(MessageSets.Messages, new RecordQuery { Where = Element(where), Fields = withBody ? WithBody : Summary, Limit = 1 }, ct);
        return page.Items.Count == 0 ? null : Read(page.Items[0], withBody);
    }

    public async Task<StorePage> QueryAsync(StoreQuery q, CancellationToken ct)
    {
        if (q.Ids is { Count: > 0 } ids)
        {
            // Note that a list of ids bounds the scan by itself: no budget.
            var list = new List<StoredMessage>(Math.Min(q.Limit, ids.Count));
            foreach (var part in ids.Distinct().OrderDescending().Chunk(500))
            {
                list.AddRange((await PageAsync(q with { MaxScan = 0 }, part, q.Limit - list.Count, ct)).Rows);
                if (list.Count >= q.Limit)
                {
                    break;
                }
            }

            return new StorePage(list, null);
        }

        return await PageAsync(q, null, q.Limit, ct);
    }

    private async Task<StorePage> PageAsync(StoreQuery q, long[]? ids, int limit, CancellationToken ct)
    {
        var where = Where(q, ids);
        var list = new List<StoredMessage>(Math.Min(limit, 1_000));
        var tested = 0;
        string? after = null;
        do
        {
            var size = Math.Min(_records.Options.MaxPageSize, q.Where is null ? limit - list.Count : Math.Max(limit, 200));
            if (q.Where is not null && q.MaxScan > 0)
            {
                size = Math.Min(size, q.MaxScan - tested + 1); // one more than the budget: whether older ones remain
            }

            var page = await _records.FindAsync(MessageSets.Messages, new RecordQuery { Where = where, Sort = ["-id"], Fields = Summary, Limit = size, After = after }, ct);
            for (var i = 0; i < page.Items.Count; i++)
            {
                var m = Read(page.Items[i], false);
                if (q.Where is null || Matches(q.Where, m.DocumentJson))
                {
                    list.Add(m);
                    if (list.Count == limit)
                    {
                        return new StorePage(list, null);
                    }
                }

                // Note that the budget stops the scan only where older messages remain to be tested.
                if (q.Where is not null && q.MaxScan > 0 && ++tested >= q.MaxScan && (i < page.Items.Count - 1 || page.Next is not null))
                {
                    return new StorePage(list, m.Id);
                }
            }

            after = page.Next;
        }
        while (after is not null);
        return new StorePage(list, null);
    }

    private static bool Matches(Func<JsonElement, bool> filter, string document)
    {
        using var doc = JsonDocument.Parse(document);
        try
        {
            return filter(doc.RootElement);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            throw MessageException.Invalid("the regular expression takes too long on a document; simplify it");
        }
    }

    private static JsonElement Where(StoreQuery q, long[]? ids)
    {
        var all = new JsonArray();
        void Add(JsonObject o) => all.Add(o);
        if (q.Partner is not null)
        {
            Add(new JsonObject { ["partner"] = q.Partner });
        }

        if (q.Type is not null)
        {
            Add(new JsonObject { ["type"] = q.Type });
        }

        if (q.FromMs is not null || q.ToMs is not null)
        {
            var range = new JsonObject();
            if (q.FromMs is { } from)
            {
                range["$gte"] = from;
            }

            if (q.ToMs is { } to)
            {
                range["$lt"] = to;
            }

            Add(new JsonObject { ["received"] = range });
        }

        foreach (var term in q.KeyTerms)
        {
            Add(new JsonObject { ["$or"] = new JsonArray([.. MessageSets.KeyColumns.Select(k => (JsonNode)new JsonObject { [k] = term })]) });
        }

        if (q.BeforeId is { } before)
        {
            Add(new JsonObject { ["id"] = new JsonObject { ["$lt"] = before } });
        }

        if (ids is not null)
        {
            Add(new JsonObject { ["id"] = new JsonArray([.. ids.Select(i => (JsonNode)i)]) });
        }

        return Element(all.Count == 0 ? new JsonObject() : new JsonObject { ["$and"] = all });
    }

    private static JsonElement Element(JsonObject o) => JsonSerializer.SerializeToElement(o);

    public async Task SaveMappingAsync(string partner, string type, long revision, string content, CancellationToken ct) =>
        await _records.InsertManyAsync(MessageSets.Mappings, [new Dictionary<string, object?> { ["partner"] = partner, ["type"] = type, ["rev"] = revision, ["content"] = content }], new RecordWriteOptions { SkipDuplicates = true }, ct);

    public async Task<string?> GetMappingAsync(string partner, string type, long revision, CancellationToken ct) =>
        (await _records.GetAsync(MessageSets.Mappings, [partner, type, revision], ct))?["content"] as string;

    public async Task<(long Count, long Bytes)> StatsAsync(CancellationToken ct)
    {
        var info = await _records.GetSetAsync(MessageSets.Messages, ct);
        long count = 0, bytes = 0;
        await using var c = await _records.Storage.OpenConnectionAsync(ct);
        foreach (var t in info.Tables.Where(t => t.Kind != RecordTableKind.Partition))
        {
            var size = Flavor == SqlFlavor.Postgres ? "octet_length" : "length";
            await using var cmd = EngineStorage.Command(c, null, $"SELECT count(*), coalesce(sum({size}(doc) + {size}(body)), 0) FROM {EngineStorage.Quote(t.Name)}");
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            count += Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            bytes += Convert.ToInt64(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }

        return (count, bytes);
    }

    private static StoredMessage Read(RecordRow r, bool withBody) => new(
        (long)r["id"]!,
        (string)r["partner"]!,
        (string)r["type"]!,
        (long)r["received"]!,
        (string?)r["source_id"],
        (long)r["rev"]!,
        DocumentText((byte[])r["doc"]!),
        withBody ? (byte[])r["body"]! : null,
        (SourceFormat)(int)r["fmt"]!);

    /// <summary>The document's JSON from the stored bytes: a Zstandard frame, or (stored before compression) the JSON's UTF-8.</summary>
    internal static string DocumentText(byte[] stored) =>
        Encoding.UTF8.GetString(BodyCodec.IsZstd(stored) ? BodyCodec.Decompress(stored) : stored);

    public Task<MigrationRun?> GetRunAsync(string run, CancellationToken ct) => _ledger.GetRunAsync(run, ct);

    public Task SaveRunAsync(MigrationRun run, CancellationToken ct) => _ledger.SaveRunAsync(run, ct);

    public Task FinishRunAsync(string run, long finishedMs, CancellationToken ct) => _ledger.FinishRunAsync(run, finishedMs, ct);

    public Task<IReadOnlyList<RangeCheckpoint>> CheckpointsAsync(string run, CancellationToken ct) => _ledger.CheckpointsAsync(run, ct);

    public async Task<long> WriteRangeAsync(RangeCheckpoint checkpoint, IReadOnlyList<NewMessage> messages, Func<Task>? midway, CancellationToken ct)
    {
        long stored = 0;
        await _records.InsertManyAsync(MessageSets.Messages, [.. messages.Select(Row)], Receive with
        {
            AlsoInTransaction = async (tx, token) =>
            {
                if (midway is not null)
                {
                    await midway();
                }

                stored = tx.Written.Count(r => r is not null);
                await MigrationLedger.WriteCheckpointAsync(tx.Connection, tx.Transaction, checkpoint with { Stored = stored }, token);
            },
        }, ct);
        return stored;
    }

    public async Task<(long Messages, long Fields)> CountOriginAsync(string run, CancellationToken ct)
    {
        long messages = 0, fields = 0;
        var where = Element(new JsonObject { ["origin"] = run });
        string? after = null;
        do
        {
            var page = await _records.FindAsync(MessageSets.Messages, new RecordQuery { Where = where, Sort = ["id"], Fields = ["id", "doc"], Limit = _records.Options.MaxPageSize, After = after }, ct);
            foreach (var row in page.Items)
            {
                messages++;
                using var doc = JsonDocument.Parse(DocumentText((byte[])row["doc"]!));
                fields += doc.RootElement.EnumerateObject().LongCount();
            }

            after = page.Next;
        }
        while (after is not null);
        return (messages, fields);
    }
}
