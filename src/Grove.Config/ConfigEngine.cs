using Grove.Config.Internal;
using Grove.Config.Internal.Engine;
using Grove.Identity;
using Grove.Tree;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grove.Config;

/// <summary>
/// The config center engine (the seed's Diamond server without HTTP): configs persist as tree objects under
/// <c>/sys/config</c>; every read and MD5 probe is answered from memory; each change is dumped to
/// <c>&lt;data&gt;/config-dump</c>; listeners wait on per-key MD5s; other nodes sharing PostgreSQL learn of changes through
/// the tree's notifications and a change feed, with a periodic full reconciliation as a safety net. When the store
/// is unreachable it serves from memory (or, at start, from the dump) and refuses writes with <c>unavailable</c>
/// until the store is back. Thread-safe; open one per process and share it. A front door over parts that own their
/// state: what is served, the store link, the write queue, the dump, the sync with the store; publishing, gray
/// releases, history and transfer are operations over them.
/// </summary>
public sealed class ConfigEngine : IAsyncDisposable
{
    private readonly ServedState _served;
    private readonly StoreLink _link;
    private readonly WriteQueue _queue;
    private readonly DumpWriter _dump;
    private readonly StoreSync _sync;
    private readonly Publisher _publisher;
    private readonly BetaReleases _betas;
    private readonly HistoryReader _history;
    private readonly Transfer _transfer;
    private readonly EngineContext _context;
    private int _disposed;

    private ConfigEngine(ConfigOptions options, string dataPath, Func<CancellationToken, Task<IConfigStore>> connect)
    {
        var log = options.Logger ?? NullLogger.Instance;
        var box = new SecretBox(WithMasterKey(options, dataPath).MasterKey!);
        WriteQueue? queue = null;
        StoreSync? sync = null;
        DumpWriter? dump = null;
        _served = new ServedState(options, box, log, k => dump!.MarkDirty(k), k => queue!.IsBeingModified(k), () => sync!.PurgedUpTo);
        _link = new StoreLink(connect, log);
        _queue = queue = new WriteQueue(_link, _served);
        _dump = dump = new DumpWriter(new DumpStore(dataPath, log), _served.Map, log);
        _sync = sync = new StoreSync(options, _link, _served, _dump, log);
        var context = _context = new EngineContext(options, _served, _link, _queue);
        _publisher = context.Publisher = new Publisher(context);
        _betas = new BetaReleases(context);
        _history = new HistoryReader(context);
        _transfer = new Transfer(context);
        Limiter = new RequestLimiter(options.RequestsPerWindow, options.RequestWindow, options.Time);
    }

    /// <summary>The per-IP request counter (the seed's refuse-request count), for the HTTP layers to consult.</summary>
    public RequestLimiter Limiter { get; }

    /// <summary>True while the store answers; false while writes are refused and reads come from memory.</summary>
    public bool IsStoreAvailable => _link.Available;

    /// <summary>Why the store is unavailable, or null.</summary>
    public string? UnavailableReason => _link.UnavailableReason;

    /// <summary>The highest store revision this engine has applied.</summary>
    public long Revision => _served.Revision;

    /// <summary>How many configs are served.</summary>
    public int Count => _served.Map.All.Count(e => e.Main is not null);

    /// <summary>How many long polls are held right now.</summary>
    public int WaiterCount => _served.WaiterCount;

    /// <summary>The folder the dump is written to.</summary>
    public string DumpFolder => _dump.Root;

    /// <summary>Writes waiting for a committer (tests watch writes queue up).</summary>
    internal int QueuedWrites => _queue.QueuedWrites;

    /// <summary>
    /// Raised after a change is applied to what is served (made here, on another node, or found by reconciliation).
    /// Handlers run on the applying thread and must be quick; exceptions they throw are logged and ignored.
    /// </summary>
    public event Action<ConfigChange>? Changed
    {
        add => _served.Changed += value;
        remove => _served.Changed -= value;
    }

    /// <summary>
    /// Opens the engine over <paramref name="tree"/>: loads every config into memory and rewrites the dump. If the
    /// store does not answer, starts from the dump (reads served, writes refused) and retries in the background.
    /// </summary>
    public static Task<ConfigEngine> OpenAsync(TreeService tree, ConfigOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        options ??= new ConfigOptions();
        var dataPath = options.DataPath ?? tree.Options.DataPath;
        options = WithMasterKey(options, dataPath);
        var keyId = new SecretBox(options.MasterKey!).KeyId;
        return OpenAsync(options, dataPath, async c => await TreeConfigStore.OpenAsync(tree, options.Time, options.HistoryRetention, keyId, c), ct);
    }

    /// <summary>
    /// Opens the engine with a tree that may not open yet (its database down at start): the engine starts from the
    /// dump and calls <paramref name="openTree"/> again every <see cref="ConfigOptions.RecoveryInterval"/> until it
    /// succeeds. <see cref="ConfigOptions.DataPath"/> is required. The engine does not dispose the tree.
    /// </summary>
    public static Task<ConfigEngine> OpenAsync(Func<CancellationToken, Task<TreeService>> openTree, ConfigOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(openTree);
        ArgumentNullException.ThrowIfNull(options);
        var dataPath = options.DataPath ?? throw new ArgumentException("DataPath is required when the engine opens without a tree", nameof(options));
        options = WithMasterKey(options, dataPath);
        var keyId = new SecretBox(options.MasterKey!).KeyId;
        return OpenAsync(options, dataPath, async c => await TreeConfigStore.OpenAsync(await openTree(c), options.Time, options.HistoryRetention, keyId, c), ct);
    }

    private static ConfigOptions WithMasterKey(ConfigOptions options, string dataPath) =>
        options.MasterKey is not null ? options
        : options with { MasterKey = options.MasterKeyFile is { } file ? MasterKeyFile.Load(file) : MasterKeyFile.LoadOrCreate(dataPath) };

    internal static async Task<ConfigEngine> OpenAsync(ConfigOptions options, string dataPath, Func<CancellationToken, Task<IConfigStore>> connect, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxContentBytes, 1);
        var engine = new ConfigEngine(options, dataPath, connect);
        try
        {
            await engine._sync.ConnectAsync(ct);
            engine._dump.Store.RemoveOthers(engine._served.Map.Get);
        }
        catch (Exception e) when (StoreLink.IsOutage(e, ct))
        {
            engine._sync.StartFromDump(e);
        }

        engine._sync.Start(options.RunTimers);
        return engine;
    }

    /// <summary>Whether an exception means the store cannot be reached (not a refusal of the request).</summary>
    internal static bool IsOutage(Exception e, CancellationToken ct) => StoreLink.IsOutage(e, ct);

    /// <summary>Applies what other nodes committed since the last applied revision (the change feed).</summary>
    internal Task SyncAsync(CancellationToken ct) => _sync.SyncAsync(ct);

    /// <summary>Writes the dump files of every key changed since the last flush.</summary>
    internal void FlushDump() => _dump.Flush();

    /// <summary>Writes every served config to the dump folder and removes dumped configs no longer served. Returns how many were written.</summary>
    public Task<int> DumpAllAsync(CancellationToken ct = default) => _dump.DumpAllAsync(ct);

    /// <summary>
    /// The one rule of who may change configs, read history and gray releases: admins and members of
    /// <see cref="ConfigOptions.EditorGroup"/> (a null actor is the system). Every operation taking an actor applies it;
    /// HTTP layers call this only for what they serve without one. Throws <c>forbidden</c>.
    /// </summary>
    public void Authorize(Principal? actor, string what) => _context.Authorize(actor, what);

    /// <summary>Whether <paramref name="actor"/> may change configs (<see cref="Authorize"/>'s rule).</summary>
    public bool MayEdit(Principal actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsAdmin || actor.Groups.Contains(_context.Options.EditorGroup, StringComparer.Ordinal);
    }

    /// <summary>
    /// True while a change of the key is being committed on this node (Diamond answers 304 then, its double check).
    /// </summary>
    public bool IsBeingModified(ConfigKey key) => _queue.IsBeingModified(key);

    /// <summary>The config as <paramref name="client"/> gets it (the beta when the client matches one), or null. From memory.</summary>
    public ConfigItem? Get(ConfigKey key, ConfigClient? client = null) =>
        _served.Get(key, client) ?? (_sync.Blind ? throw _link.Unavailable() : null);

    /// <summary>The MD5 <paramref name="client"/> would get, or null when the config does not exist. From memory.</summary>
    public string? GetMd5(ConfigKey key, ConfigClient? client = null) =>
        _served.GetMd5(key, client);

    /// <summary>The configs of <paramref name="keys"/> that exist, in the given order (Diamond's batchQuery).</summary>
    public IReadOnlyList<ConfigItem> GetMany(IReadOnlyList<ConfigKey> keys, ConfigClient? client = null)
    {
        var found = _served.GetMany(keys, client);
        return found.Count < keys.Count && _sync.Blind ? throw _link.Unavailable() : found;
    }

    /// <summary>The gray release of a config, or null.</summary>
    public ConfigBeta? GetBeta(ConfigKey key) =>
        _served.GetBeta(key);

    /// <summary>A page of configs matching <paramref name="query"/>, in (tenant, group, dataId) order. From memory.</summary>
    public ConfigPage List(ConfigQuery query) =>
        _served.List(query);

    /// <summary>
    /// The probed keys whose MD5 (as <paramref name="client"/> sees them) differs from the one held, at once (the
    /// seed's Probe-Modify-Request). Records the client on the listeners page.
    /// </summary>
    public IReadOnlyList<ConfigKey> FindChanged(IReadOnlyList<ConfigProbe> probes, ConfigClient? client = null) =>
        _served.FindChanged(probes, client);

    /// <summary>
    /// The long poll: returns the changed keys at once if any probe's MD5 differs, else as soon as one changes, else
    /// an empty list after <paramref name="timeout"/>. Holds no thread while waiting.
    /// </summary>
    /// <exception cref="ConfigException"><c>rate_limited</c> when the client or the engine holds too many long polls.</exception>
    public Task<IReadOnlyList<ConfigKey>> WaitForChangesAsync(IReadOnlyList<ConfigProbe> probes, TimeSpan timeout, ConfigClient? client = null, CancellationToken ct = default) =>
        _served.WaitForChangesAsync(probes, timeout, client, ct);

    /// <summary>
    /// Answers every held long poll at once with "nothing changed" (a node shutting down: its clients poll again,
    /// elsewhere). Returns how many were released. Polls that arrive afterwards are held as usual.
    /// </summary>
    public int ReleaseWaiters() =>
        _served.ReleaseWaiters();

    /// <summary>
    /// Answers every held long poll at once with "nothing changed", and from now on every new one as soon as it
    /// arrives (a node shutting down: its clients poll again, elsewhere). Unlike <see cref="ReleaseWaiters"/> this
    /// cannot miss a poll that was being registered while it ran. Returns how many were held.
    /// </summary>
    public int StopHoldingPolls() =>
        _served.StopHoldingPolls();

    /// <summary>The clients that recently probed or are long-polling a config, with the MD5 each held.</summary>
    public IReadOnlyList<ListenerInfo> GetListeners(ConfigKey key) =>
        _served.GetListeners(key);

    /// <summary>The configs one client IP recently probed or is long-polling (Nacos's "listeners by IP").</summary>
    public IReadOnlyList<ListenerInfo> GetListenersByIp(string ip) =>
        _served.GetListenersByIp(ip);

    /// <summary>
    /// Keys changed after <paramref name="revision"/> (removals included while their tombstones last), for a push
    /// channel whose client reconnects. Null when the engine cannot tell (tombstones older than that were purged by a
    /// reconciliation): the client should then reload everything it holds.
    /// </summary>
    public IReadOnlyList<ConfigChange>? ChangesSince(long revision, string? tenant = null) =>
        _served.ChangesSince(revision, tenant);

    /// <summary>
    /// Registers a validator for every config of <paramref name="group"/>: publishes, batches, imports and gray releases
    /// it refuses fail with its error and change nothing. Dispose the result to remove it.
    /// </summary>
    public IDisposable AddValidator(string group, IConfigValidator validator)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentNullException.ThrowIfNull(validator);
        return _context.Validators.Add(group, validator);
    }

    /// <summary>
    /// Publishes one config: validates it (key, size, format), commits it with its history entry and a new revision
    /// in one transaction, then serves, dumps and announces it.
    /// </summary>
    /// <exception cref="ConfigException">
    /// <c>invalid_argument</c>, <c>too_large</c>, <c>invalid_format</c>, <c>conflict</c> (exists under create-only, or
    /// MD5 mismatch), <c>not_found</c> (update-only), <c>forbidden</c>, <c>unavailable</c>.
    /// </exception>
    public Task<PublishResult> PublishAsync(PublishRequest request, CancellationToken ct = default) =>
        _publisher.PublishAsync(request, ct);

    /// <summary>
    /// Publishes several configs in one transaction (Diamond's batchAddOrUpdate): every request is validated first,
    /// and one bad request applies none of them.
    /// </summary>
    public Task<IReadOnlyList<PublishResult>> PublishBatchAsync(IReadOnlyList<PublishRequest> requests, CancellationToken ct = default) =>
        _publisher.PublishBatchAsync(requests, ct);

    /// <summary>Removes a config (and its beta); the history keeps its last content. False when it did not exist.</summary>
    public Task<bool> RemoveAsync(ConfigKey key, Principal? actor = null, string? clientIp = null, CancellationToken ct = default) =>
        _publisher.RemoveAsync(key, actor, clientIp, ct);

    /// <summary>
    /// Publishes a gray release: clients whose IP or label is listed get <see cref="BetaRequest.Content"/> (and its
    /// MD5, so their long polls fire); everyone else keeps the released content. Replaces an earlier beta.
    /// </summary>
    public Task<ConfigBeta> PublishBetaAsync(BetaRequest request, CancellationToken ct = default) =>
        _betas.PublishBetaAsync(request, ct);

    /// <summary>Makes the beta the released content for everyone (a publish with its content) and ends the gray release.</summary>
    /// <exception cref="ConfigException"><c>not_found</c> without a beta.</exception>
    public Task<PublishResult> PromoteBetaAsync(ConfigKey key, Principal? actor = null, string? clientIp = null, CancellationToken ct = default) =>
        _betas.PromoteBetaAsync(key, actor, clientIp, ct);

    /// <summary>Ends the gray release; its clients get the released content again. False when there was none.</summary>
    public Task<bool> CancelBetaAsync(ConfigKey key, Principal? actor = null, string? clientIp = null, CancellationToken ct = default) =>
        _betas.CancelBetaAsync(key, actor, clientIp, ct);

    /// <summary>A page of a config's history (newest first, without content), from the store.</summary>
    public Task<HistoryPage> ListHistoryAsync(ConfigKey key, int pageNo = 1, int pageSize = 100, Principal? actor = null, CancellationToken ct = default) =>
        _history.ListHistoryAsync(key, pageNo, pageSize, actor, ct);

    /// <summary>One history entry with its content (decrypted for secrets), or null.</summary>
    public Task<HistoryEntry?> GetHistoryAsync(long id, Principal? actor = null, CancellationToken ct = default) =>
        _history.GetHistoryAsync(id, actor, ct);

    /// <summary>The entry of <paramref name="key"/> just before <paramref name="id"/> (Nacos's "previous"), with content; null when none.</summary>
    public Task<HistoryEntry?> GetPreviousAsync(ConfigKey key, long id, Principal? actor = null, CancellationToken ct = default) =>
        _history.GetPreviousAsync(key, id, actor, ct);

    /// <summary>
    /// A unified line diff from history entry <paramref name="fromId"/> (0: empty) to <paramref name="toId"/> (null:
    /// the content served now).
    /// </summary>
    public Task<ConfigDiff> DiffAsync(ConfigKey key, long fromId, long? toId = null, Principal? actor = null, CancellationToken ct = default) =>
        _history.DiffAsync(key, fromId, toId, actor, ct);

    /// <summary>
    /// A unified line diff from the content served now (empty when the config does not exist) to
    /// <paramref name="draft"/>: what a publish would change, shown before it is made. From memory.
    /// </summary>
    public ConfigDiff PreviewDiff(ConfigKey key, string draft) =>
        _history.PreviewDiff(key, draft);

    /// <summary>Publishes the content (and type, description, tags, app, secrecy) of an earlier version as a new revision.</summary>
    public Task<PublishResult> RollbackAsync(ConfigKey key, long id, Principal? actor = null, string? clientIp = null, CancellationToken ct = default) =>
        _history.RollbackAsync(key, id, actor, clientIp, ct);

    /// <summary>The audit log: history entries of every config (newest first, without content), filtered and paged by id.</summary>
    public Task<IReadOnlyList<HistoryEntry>> ListAuditAsync(AuditQuery query, Principal? actor = null, CancellationToken ct = default) =>
        _history.ListAuditAsync(query, actor, ct);

    /// <summary>
    /// Writes a namespace's configs as a zip in Nacos 2's export layout: <c>&lt;group&gt;/&lt;dataId&gt;</c> entries and a
    /// <c>.metadata.yml</c>. Secrets stay sealed unless <see cref="ExportOptions.SecretsInPlainText"/>. Returns how many.
    /// </summary>
    public Task<int> ExportAsync(Stream zip, ExportOptions? options = null, CancellationToken ct = default) =>
        _transfer.ExportAsync(zip, options, ct);

    /// <summary>
    /// Imports a zip in the export layout into <see cref="ImportOptions.Tenant"/>, all or nothing: every entry is
    /// validated first (names, size, format), then all are committed in one transaction under the conflict policy.
    /// </summary>
    public Task<ImportResult> ImportAsync(Stream zip, ImportOptions? options = null, CancellationToken ct = default) =>
        _transfer.ImportAsync(zip, options, ct);

    /// <summary>
    /// Compares everything served with the store and applies the differences (the safety net behind the change
    /// feed, every <see cref="ConfigOptions.ReconcileInterval"/>). Returns how many keys changed.
    /// </summary>
    public Task<int> ReconcileAsync(CancellationToken ct = default) =>
        _sync.ReconcileAsync(ct);

    /// <summary>
    /// While the store is unavailable: tries it again (opening it if it never opened), and on success reconciles
    /// everything and accepts writes again. Returns whether the store is available now.
    /// </summary>
    public Task<bool> TryRecoverAsync(CancellationToken ct = default) =>
        _sync.TryRecoverAsync(ct);

    /// <summary>
    /// Reads one config and its beta from the store and serves whatever is newer than what is held; a part gone from
    /// the store is removed (Diamond's <c>notify.do</c>: another node says this key changed). Returns whether anything
    /// changed here.
    /// </summary>
    public Task<bool> RefreshAsync(ConfigKey key, CancellationToken ct = default) =>
        _sync.RefreshAsync(key, ct);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _sync.StopAsync();
        await _queue.DrainAsync();
        await _link.DisposeAsync(_sync.OnRemoteChanged);
    }
}
