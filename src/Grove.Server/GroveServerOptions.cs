namespace Grove.Server;

/// <summary>
/// Settings of a <see cref="GroveServer"/>. From the command line, environment and <c>appsettings.json</c> (section
/// <c>Grove</c>) through <see cref="GroveServer.LoadOptions"/>, or built directly by code that embeds the server.
/// </summary>
public sealed record GroveServerOptions
{
    /// <summary>The data folder (index, buckets, dumps); <c>--data</c>, <c>GROVE_DATA</c>. Default <c>./grove-data</c>.</summary>
    public string Data { get; init; } = "grove-data";

    /// <summary>
    /// The index store: null for SQLite in <see cref="Data"/>, or <c>postgres://user:pass@host:port/db</c> to share
    /// one PostgreSQL database between several nodes; <c>--store</c>, <c>GROVE_STORE</c>.
    /// </summary>
    public string? Store { get; init; }

    /// <summary>
    /// The default bucket (<c>Grove:DefaultBucket</c>, <c>Grove__DefaultBucket</c>): null for the store's own (the data
    /// folder, or chunks in PostgreSQL), or <c>s3(Name)</c> for the object-storage bucket configured as
    /// <c>Grove:Buckets:Name</c>, so several nodes share content without PostgreSQL chunks (docs/storage.md).
    /// </summary>
    public string? DefaultBucket { get; init; }

    /// <summary>Addresses to listen on, separated by <c>;</c>; <c>--urls</c>, <c>GROVE_URLS</c>. Port 0 picks a free port.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:7070";


    /// <summary>Requests a second one client (token or address) may make on average; 0 turns rate limiting off.</summary>
    public int RateLimitPerSecond { get; init; } = 2_000;

    /// <summary>Requests one client may make in a burst above the average.</summary>
    public int RateLimitBurst { get; init; } = 4_000;

    /// <summary>Largest JSON request body (metadata, queries, logins), in bytes; larger is refused with 413.</summary>
    public int MaxJsonBytes { get; init; } = 1 << 20;

    /// <summary>Largest file upload, in bytes; larger is refused with 413 before anything is stored.</summary>
    public long MaxUploadBytes { get; init; } = 64L << 30;

    /// <summary>Largest total size of a request's headers, in bytes; larger is refused with 413.</summary>
    public int MaxHeaderBytes { get; init; } = 16 << 10;

    /// <summary>How long shutdown waits for requests in flight (uploads finish or roll back) before aborting them.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After this long without a new request, a server whose resident set grew by
    /// <see cref="IdleTrimMinGrowthBytes"/> since its last trim gives memory back (one compacting full GC, the
    /// store's page caches and idle connections); <c>Grove:IdleTrimAfter</c>, zero turns it off. See docs/reliability-checks.md.
    /// </summary>
    public TimeSpan IdleTrimAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How much the resident set must have grown since the last idle trim (or the start) for the next one; 0 trims after any activity.</summary>
    public long IdleTrimMinGrowthBytes { get; init; } = 16L << 20;

    /// <summary>
    /// How long after an idle trim, while still idle, one more pass runs (once per idle period) to release the buffers
    /// the load left in the shared array pools, which let them go only after 30 s unused; <c>Grove:IdleTrimPoolsAfter</c>.
    /// </summary>
    public TimeSpan IdleTrimPoolsAfter { get; init; } = TimeSpan.FromSeconds(35);

    /// <summary>Content up to this size lives inline in the index row.</summary>
    public int InlineThreshold { get; init; } = 64 * 1024;

    /// <summary>
    /// How many of the newest revisions the tree's change feed keeps (<c>Grove:ChangeRetention</c>). Watch and hooks
    /// read it; 0 turns it off and saves a page per commit, for a store whose changes nobody follows.
    /// </summary>
    public long ChangeRetention { get; init; } = 100_000;

    /// <summary>Whether to write a line per request to the log (at Information level).</summary>
    public bool LogRequests { get; init; }

    /// <summary>
    /// Users, sessions and logins (section <c>Grove:Identity</c>): token lifetime, password hashing, login throttling,
    /// and the first <c>admin</c> password (<c>GROVE_ADMIN_PASSWORD</c>; else random, printed once). The clock is the server's.
    /// </summary>
    public Grove.Identity.IdentityOptions Identity { get; init; } = new();

    /// <summary>The config center (section <c>Grove:Config</c>): anonymous reads, limits, long polls.</summary>
    public ConfigServerOptions Config { get; init; } = new();

    /// <summary>
    /// The task logs' settings (limits, live store, archive, retention; docs/logs.md), section <c>Grove:Logs</c>. The
    /// clock and the PostgreSQL store default to the server's.
    /// </summary>
    public Grove.Logs.LogOptions Logs { get; init; } = new();

    /// <summary>The records engine's settings (cache, page sizes, rotation; docs/records.md), section <c>Grove:Records</c>.</summary>
    public Grove.Records.RecordsOptions Records { get; init; } = new();

    /// <summary>Partner messages (section <c>Grove:Messages</c>; docs/messages.md): body limit, page size, batch print limit.</summary>
    public MessageServerOptions Messages { get; init; } = new();

    /// <summary>Queue mounts (section <c>Grove:Queues</c>): visibility time-out, deliveries before dead-lettering.</summary>
    public Grove.Queues.QueueOptions Queues { get; init; } = new();

    /// <summary>Hooks (section <c>Grove:Hooks</c>): call time-out and retry back-off.</summary>
    public Grove.Hooks.HookOptions Hooks { get; init; } = new();

    /// <summary>
    /// The storage providers the tree may use; null for <see cref="GroveStorage.Registry"/> (the built-ins and the
    /// object-storage buckets). A host adds a provider of its own assembly with
    /// <c>GroveStorage.CreateRegistry().Add(…)</c>. Not read from configuration.
    /// </summary>
    public Grove.Tree.Storage.StorageRegistry? Storage { get; init; }

    /// <summary>The clock; tests replace it.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>A logger provider added to the host's (tests read the server's log through it). Not read from configuration.</summary>
    public Microsoft.Extensions.Logging.ILoggerProvider? LoggerProvider { get; init; }
}
