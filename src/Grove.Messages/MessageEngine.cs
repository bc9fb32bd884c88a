using System.Globalization;
using Grove.Config;
using Grove.Records;
using Grove.Messages.Internal;
using Grove.Messages.Internal.Receiving;
using Grove.Messages.Internal.Storage;
using Grove.Tree;
using Grove.Tree.Query;

namespace Grove.Messages;

/// <summary>
/// Partner messages: each body (JSON or XML) is validated and mapped through its partner's and type's mapping from
/// the config center, and stored as one document with projected, indexed columns and the original body compressed.
/// Resends are idempotent by the partner's message id. Messages are queried by partner, type, time, business keys
/// and any mapped field, and shown (and printed) with the mapping revision they were mapped with. Thread-safe; open
/// one per process over the tree and the config engine, and share it.
/// </summary>
public sealed class MessageEngine : IAsyncDisposable
{
    private readonly IMessageStore _store;
    private readonly MappingSource _mappings;
    private readonly MessageOptions _options;
    private readonly Receiver _receiver;
    private readonly ConfigEngine _config;

    private readonly RecordService? _ownedRecords;

    private MessageEngine(RecordMessageStore store, ConfigEngine config, MessageOptions options, RecordService? ownedRecords)
    {
        _store = store;
        _options = options;
        _config = config;
        _ownedRecords = ownedRecords;
        _mappings = new MappingSource(config, store, options.Tenant);
        _receiver = new Receiver(store, _mappings, options);
        Flavor = store.Flavor;
    }

    internal Tree.Storage.SqlFlavor Flavor { get; }

    internal IMessageStore Store => _store;

    /// <summary>Published mappings that do not parse, by dataId, with the error naming each bad field. The config center has no validation hook, so a bad mapping is found as it arrives and refused on use.</summary>
    public IReadOnlyDictionary<string, MessageException> MappingProblems => _mappings.Problems;

    /// <summary>Raised when a mapping publish reaches this node (dataId, revision, the problem or null). Handlers must be quick.</summary>
    public event Action<string, long, MessageException?>? MappingChanged
    {
        add => _mappings.MappingChanged += value;
        remove => _mappings.MappingChanged -= value;
    }

    /// <summary>
    /// Opens the engine over <paramref name="records"/> (messages and mapping revisions are its record sets
    /// <c>grove_messages</c> and <c>grove_message_mappings</c>, defined or upgraded here) and <paramref name="config"/>'s
    /// mappings. The records engine stays the caller's.
    /// </summary>
    public static Task<MessageEngine> OpenAsync(RecordService records, ConfigEngine config, MessageOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return OpenAsync(records, config, options, owned: false, ct);
    }

    /// <summary>Opens the engine over a records engine of its own on <paramref name="tree"/>'s database (disposed with it); a host that runs records shares its engine instead.</summary>
    public static async Task<MessageEngine> OpenAsync(TreeService tree, ConfigEngine config, MessageOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var records = await RecordService.OpenAsync(tree, ct: ct);
        try
        {
            return await OpenAsync(records, config, options, owned: true, ct);
        }
        catch
        {
            await records.DisposeAsync();
            throw;
        }
    }

    private static async Task<MessageEngine> OpenAsync(RecordService records, ConfigEngine config, MessageOptions? options, bool owned, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= new MessageOptions();
        var store = new RecordMessageStore(records, options.History);
        await store.InitializeAsync(ct);
        return new MessageEngine(store, config, options, owned ? records : null);
    }

    /// <summary>The mapping in force for a partner's type.</summary>
    /// <exception cref="MessageException"><c>unknown_mapping</c>, <c>invalid_mapping</c>.</exception>
    public Task<MessageMapping> GetMappingAsync(string partner, string type, CancellationToken ct = default) =>
        _mappings.CurrentAsync(partner, type, ct);

    /// <summary>
    /// Receives one message: validates it against its mapping (every failing field in one error), maps it and stores
    /// it as one document. A resend (same source id or idempotency key) stores nothing and returns the first answer.
    /// </summary>
    /// <exception cref="MessageException">
    /// <c>invalid_argument</c>, <c>unknown_mapping</c>, <c>invalid_mapping</c>, <c>too_large</c>, <c>invalid_body</c>, <c>validation_failed</c>.
    /// </exception>
    public Task<ReceiveResult> ReceiveAsync(ReceiveRequest request, CancellationToken ct = default) =>
        _receiver.ReceiveAsync(request, ct);

    /// <summary>A page of messages matching <paramref name="query"/>, newest first.</summary>
    public async Task<MessagePage> QueryAsync(MessageQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = query.Limit;
        if (limit < 1 || limit > _options.MaxPageSize)
        {
            throw MessageException.Invalid($"limit must be 1–{_options.MaxPageSize}");
        }

        var page = await _store.QueryAsync(ToStoreQuery(query, limit + 1), ct);
        var rows = page.Rows;
        var next = rows.Count > limit ? rows[limit - 1].Id : page.ScannedTo;
        return new MessagePage(rows.Take(limit).Select(Viewer.Summary).ToArray(), next?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Every message matching <paramref name="query"/> (its limit is the page size read at a time), newest first; memory bounded by one page.</summary>
    public async IAsyncEnumerable<MessageSummary> StreamAsync(MessageQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query;
        while (true)
        {
            var page = await QueryAsync(q, ct);
            foreach (var m in page.Items)
            {
                yield return m;
            }

            if (page.Next is null)
            {
                yield break;
            }

            q = q with { After = page.Next };
        }
    }

    internal StoreQuery ToStoreQuery(MessageQuery query, int limit)
    {
        if (query.Partner is not null)
        {
            MessageNames.Check(query.Partner, "partner");
        }

        if (query.Type is not null)
        {
            MessageNames.Check(query.Type, "type");
        }

        long? before = null;
        if (query.After is { } after)
        {
            before = long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b > 0
                ? b
                : throw MessageException.Invalid($"'{after}' is not a cursor of this listing");
        }

        var mapping = query.Partner is not null && query.Type is not null ? _mappings.TryCurrent(query.Partner, query.Type) : null;
        Func<System.Text.Json.JsonElement, bool>? where = null;
        if (!string.IsNullOrWhiteSpace(query.Where))
        {
            Filter filter;
            try
            {
                filter = FilterParser.Parse(query.Where);
            }
            catch (TreeException e)
            {
                throw MessageException.Invalid("the filter is not valid: " + e.Message);
            }

            where = DocFilter.Compile(filter, n => mapping?.Field(n));
        }

        var keys = (query.Keys ?? new Dictionary<string, string>()).Select(k => MessageSchema.KeyTerm(k.Key, k.Value)).ToArray();
        return new StoreQuery(query.Partner, query.Type, query.From?.ToUnixTimeMilliseconds(), query.To?.ToUnixTimeMilliseconds(), keys, where, before, limit, query.Ids, _options.MaxScan);
    }

    /// <summary>One message with display names, master fields and detail table, with the mapping revision it was mapped with.</summary>
    /// <exception cref="MessageException"><c>not_found</c>.</exception>
    public async Task<MessageView> GetAsync(long id, CancellationToken ct = default)
    {
        var m = await _store.GetAsync(id, false, ct) ?? throw MessageException.NotFound($"no message {id}");
        return Viewer.View(m, await _mappings.AtAsync(m.Partner, m.Type, m.Revision, ct));
    }

    /// <summary>The message a partner sent with its own id <paramref name="sourceId"/> (for migrated messages, the legacy id).</summary>
    /// <exception cref="MessageException"><c>not_found</c>.</exception>
    public async Task<MessageView> FindAsync(string partner, string sourceId, CancellationToken ct = default)
    {
        MessageNames.Check(partner, "partner");
        ArgumentNullException.ThrowIfNull(sourceId);
        var m = await _store.FindAsync(partner, sourceId, false, ct) ?? throw MessageException.NotFound($"partner '{partner}' sent no message '{sourceId}'");
        return Viewer.View(m, await _mappings.AtAsync(m.Partner, m.Type, m.Revision, ct));
    }

    /// <summary>The body exactly as the partner sent it.</summary>
    /// <exception cref="MessageException"><c>not_found</c>.</exception>
    public async Task<byte[]> GetOriginalAsync(long id, CancellationToken ct = default)
    {
        var m = await _store.GetAsync(id, true, ct) ?? throw MessageException.NotFound($"no message {id}");
        return m.Body!.Length == 0 ? System.Text.Encoding.UTF8.GetBytes(m.DocumentJson) : BodyCodec.Decompress(m.Body);
    }

    /// <summary>Prints one message as a PDF (its type's layout, Chinese text) to <paramref name="output"/>. Returns the page count.</summary>
    /// <exception cref="MessageException"><c>not_found</c>.</exception>
    public async Task<int> PrintAsync(long id, Stream output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var view = await GetAsync(id, ct);
        return await WriteOneAsync(view, output, ct);
    }

    /// <summary>Prints the message a partner sent with its own id <paramref name="sourceId"/>. Returns the page count.</summary>
    public async Task<int> PrintAsync(string partner, string sourceId, Stream output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var view = await FindAsync(partner, sourceId, ct);
        return await WriteOneAsync(view, output, ct);
    }

    private static async Task<int> WriteOneAsync(MessageView view, Stream output, CancellationToken ct)
    {
        // Note that PDFsharp writes synchronously: render into memory (one message, tens of KB), then copy asynchronously.
        using var buffer = new MemoryStream();
        var pages = Internal.Printing.MessagePrinter.Print(view, buffer, null);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, ct);
        return pages;
    }

    /// <summary>
    /// Prints every message matching <paramref name="query"/> (or its <see cref="MessageQuery.Ids"/>), streamed with
    /// memory flat whatever the count: as a zip of one PDF per message, or as one PDF whose parts (tens of messages
    /// each) are merged into the output as each is rendered. Each message keeps its own page numbers. Returns the page count.
    /// </summary>
    public async Task<int> PrintBatchAsync(MessageQuery query, Stream output, BatchFormat format, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(output);
        if (format == BatchFormat.Zip)
        {
            return await Internal.Printing.MessagePrinter.PrintZipAsync(ViewsAsync(query, ct), output, null, ct);
        }

        return await Internal.Printing.MessagePrinter.PrintOneDocumentAsync(ViewsAsync(query, ct), output, null, _options.Time.GetUtcNow(), ct);
    }

    private async IAsyncEnumerable<MessageView> ViewsAsync(MessageQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var q = query with { Limit = Math.Min(Math.Max(query.Limit, 1), 200) };
        while (true)
        {
            var page = await _store.QueryAsync(ToStoreQuery(q, q.Limit + 1), ct);
            foreach (var m in page.Rows.Take(q.Limit))
            {
                yield return Viewer.View(m, await _mappings.AtAsync(m.Partner, m.Type, m.Revision, ct));
            }

            if (page.Rows.Count <= q.Limit && page.ScannedTo is null)
            {
                yield break;
            }

            q = q with { After = (page.Rows.Count > q.Limit ? page.Rows[q.Limit - 1].Id : page.ScannedTo!.Value).ToString(CultureInfo.InvariantCulture) };
        }
    }

    /// <summary>
    /// Migrates a legacy row-per-field table (the seed's version 2) into one document per message: missing mappings are
    /// generated from the legacy field-config table and published first; N readers over id ranges feed bulk writes,
    /// each range committed with its checkpoint, so that a killed migration resumed with
    /// <see cref="MigrationOptions.Resume"/> ends with exact counts; unmapped fields are kept. Returns the verification.
    /// </summary>
    /// <exception cref="MessageException"><c>invalid_argument</c> (a missing table or column, bad flags, a run already started without resume), <c>unknown_mapping</c>.</exception>
    public Task<MigrationReport> MigrateAsync(MigrationOptions options, IProgress<MigrationProgress>? progress = null, CancellationToken ct = default) =>
        new Internal.Migration.Migrator(_store, _mappings, _config, _options).RunAsync(options, progress, ct);

    /// <summary>How many messages are stored and the bytes their documents and bodies take.</summary>
    public Task<(long Count, long Bytes)> StatsAsync(CancellationToken ct = default) => _store.StatsAsync(ct);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _mappings.Dispose();
        if (_ownedRecords is not null)
        {
            await _ownedRecords.DisposeAsync();
        }
    }
}
