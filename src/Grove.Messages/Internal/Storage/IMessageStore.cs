namespace Grove.Messages.Internal.Storage;

/// <summary>
/// Where messages and the mapping revisions they were mapped with are kept: record sets of the records engine
/// (<see cref="RecordMessageStore"/>).
/// </summary>
internal interface IMessageStore
{
    /// <summary>The SQL of the database the messages are in.</summary>
    Grove.Tree.Storage.SqlFlavor Flavor { get; }

    /// <summary>Creates or upgrades the tables.</summary>
    Task InitializeAsync(CancellationToken ct);

    /// <summary>
    /// Stores a message; when one of the partner with the same source id exists, stores nothing and returns that one.
    /// A newly stored message comes back without its document (<see cref="StoredMessage.DocumentJson"/> empty): the caller has it.
    /// </summary>
    Task<StoredMessage> InsertAsync(NewMessage message, CancellationToken ct);

    /// <summary>Stores many messages in one transaction (migration); messages whose source id exists are skipped. Returns how many were stored.</summary>
    Task<int> InsertManyAsync(IReadOnlyList<NewMessage> messages, CancellationToken ct);

    /// <summary>One message with its document (and original body when asked), or null.</summary>
    Task<StoredMessage?> GetAsync(long id, bool withBody, CancellationToken ct);

    /// <summary>The message a partner sent with its own id <paramref name="sourceId"/>, or null.</summary>
    Task<StoredMessage?> FindAsync(string partner, string sourceId, bool withBody, CancellationToken ct);

    /// <summary>
    /// A keyset page of messages, newest first (by id), with documents; short, with <see cref="StorePage.ScannedTo"/>,
    /// when the filter's scan budget ran out first.
    /// </summary>
    Task<StorePage> QueryAsync(StoreQuery query, CancellationToken ct);

    /// <summary>Keeps a mapping revision's text (once; later calls with the same revision change nothing).</summary>
    Task SaveMappingAsync(string partner, string type, long revision, string content, CancellationToken ct);

    /// <summary>A kept mapping revision's text, or null.</summary>
    Task<string?> GetMappingAsync(string partner, string type, long revision, CancellationToken ct);

    /// <summary>How many messages are stored, and how many bytes their rows take (documents plus bodies).</summary>
    Task<(long Count, long Bytes)> StatsAsync(CancellationToken ct);

    /// <summary>A migration run's record, or null.</summary>
    Task<MigrationRun?> GetRunAsync(string run, CancellationToken ct);

    /// <summary>Records a migration run (once).</summary>
    Task SaveRunAsync(MigrationRun run, CancellationToken ct);

    /// <summary>Marks a migration run finished.</summary>
    Task FinishRunAsync(string run, long finishedMs, CancellationToken ct);

    /// <summary>The ranges a migration run has committed.</summary>
    Task<IReadOnlyList<RangeCheckpoint>> CheckpointsAsync(string run, CancellationToken ct);

    /// <summary>
    /// Writes one range's messages (bulk; messages whose source id exists are skipped) and its checkpoint in one
    /// transaction: after a crash a range is either wholly there, checkpoint included, or not at all. Returns how many were stored.
    /// <paramref name="midway"/>, when given, runs halfway through the transaction (the crash drill).
    /// </summary>
    Task<long> WriteRangeAsync(RangeCheckpoint checkpoint, IReadOnlyList<NewMessage> messages, Func<Task>? midway, CancellationToken ct);

    /// <summary>How many stored messages came from a migration run, and how many fields their documents hold.</summary>
    Task<(long Messages, long Fields)> CountOriginAsync(string run, CancellationToken ct);
}

/// <summary>A migration run: its source, id bounds and range size, fixed at its start so a resume cuts the same ranges.</summary>
internal sealed record MigrationRun(string Run, string Source, long Lo, long Hi, long RangeSize, long StartedMs, long? FinishedMs);

/// <summary>One committed range of a migration run and what it counted.</summary>
internal sealed record RangeCheckpoint(string Run, long K, long Rows, long Messages, long Stored, long Unmapped, long Unconverted, long Missing, long Filled);

/// <summary>A message to store; <see cref="Document"/> is the mapped document as UTF-8 JSON.</summary>
internal sealed record NewMessage(
    string Partner,
    string Type,
    long ReceivedMs,
    string? SourceId,
    long Revision,
    IReadOnlyList<KeyValuePair<string, string?>> Keys,
    byte[] Document,
    byte[] Body,
    SourceFormat Format)
{
    /// <summary>The migration run the message came from, or null for a received one.</summary>
    public string? Origin { get; init; }

    /// <summary>Whether <see cref="Document"/> is already Zstandard-compressed (a migration's SQLite bulk path compresses on its workers).</summary>
    public bool DocumentCompressed { get; init; }
}

/// <summary>A stored message's row.</summary>
internal sealed record StoredMessage(
    long Id,
    string Partner,
    string Type,
    long ReceivedMs,
    string? SourceId,
    long Revision,
    string DocumentJson,
    byte[]? Body,
    SourceFormat Format,
    bool Existing = false);

/// <summary>What a page of messages is asked with; <see cref="Where"/> tests a document (<see cref="DocFilter"/>).</summary>
internal sealed record StoreQuery(
    string? Partner,
    string? Type,
    long? FromMs,
    long? ToMs,
    IReadOnlyList<string> KeyTerms,
    Func<System.Text.Json.JsonElement, bool>? Where,
    long? BeforeId,
    int Limit,
    IReadOnlyList<long>? Ids = null,
    int MaxScan = 0);

/// <summary>A page of stored messages.</summary>
/// <param name="Rows">The messages, newest first.</param>
/// <param name="ScannedTo">
/// When the scan budget ran out before the page filled: the id of the last message tested (older ones were not), so
/// the next page starts below it; null when every message the query covers was tested.
/// </param>
internal sealed record StorePage(IReadOnlyList<StoredMessage> Rows, long? ScannedTo);
