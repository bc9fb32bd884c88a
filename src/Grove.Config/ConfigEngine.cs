using System.Collections.Concurrent;
using Grove.Config.Internal;
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
/// until the store is back. Thread-safe; open one per process and share it.
/// </summary>
public sealed partial class ConfigEngine : IAsyncDisposable
{
    private readonly ConfigOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ConfigMap _map = new();
    private readonly WaiterHub _waiters;
    private readonly ListenerRegistry _listeners;
    private readonly DumpStore _dump;
    private readonly SecretBox _box;
    private readonly Func<CancellationToken, Task<IConfigStore>> _connect;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SemaphoreSlim _syncGate = new(1, 1);
    private readonly SemaphoreSlim _syncSignal = new(0, 1);
    private readonly ConcurrentDictionary<ConfigKey, int> _modifying = new();
    private readonly ConcurrentDictionary<ConfigKey, byte> _dumpDirty = new();
    private readonly SemaphoreSlim _dumpSignal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ITimer> _timers = [];
    private IConfigStore? _store;
    private volatile string? _unavailable;
    private long _syncedRev;
    private long _servedRev;
    private Task _syncLoop = Task.CompletedTask;
    private Task _dumpLoop = Task.CompletedTask;
    private int _disposed;

    private ConfigEngine(ConfigOptions options, string dataPath, Func<CancellationToken, Task<IConfigStore>> connect)
    {
        _options = options;
        _time = options.Time;
        _log = options.Logger ?? NullLogger.Instance;
        _connect = connect;
        _box = new SecretBox(options.MasterKey ?? MasterKeyFile.LoadOrCreate(dataPath));
        _dump = new DumpStore(dataPath, _log);
        _waiters = new WaiterHub(Md5For, _time);
        _listeners = new ListenerRegistry(_time, options.ListenerTtl);
        Limiter = new RequestLimiter(options.RequestsPerWindow, options.RequestWindow, _time);
    }

    /// <summary>The per-IP request counter (the seed's refuse-request count), for the HTTP layers to consult.</summary>
    public RequestLimiter Limiter { get; }

    /// <summary>True while the store answers; false while writes are refused and reads come from memory.</summary>
    public bool IsStoreAvailable => _unavailable is null;

    /// <summary>Why the store is unavailable, or null.</summary>
    public string? UnavailableReason => _unavailable;

    /// <summary>The highest store revision this engine has applied.</summary>
    public long Revision => Interlocked.Read(ref _servedRev);

    /// <summary>How many configs are served.</summary>
    public int Count => _map.All.Count(e => e.Main is not null);

    /// <summary>How many long polls are held right now.</summary>
    public int WaiterCount => _waiters.Count;

    /// <summary>The folder the dump is written to.</summary>
    public string DumpFolder => _dump.Root;

    /// <summary>
    /// Raised after a change is applied to what is served (made here, on another node, or found by reconciliation).
    /// Handlers run on the applying thread and must be quick; exceptions they throw are logged and ignored.
    /// </summary>
    public event Action<ConfigChange>? Changed;

    /// <summary>
    /// Opens the engine over <paramref name="tree"/>: loads every config into memory and rewrites the dump. If the
    /// store does not answer, starts from the dump (reads served, writes refused) and retries in the background.
    /// </summary>
    public static Task<ConfigEngine> OpenAsync(TreeService tree, ConfigOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        options ??= new ConfigOptions();
        return OpenAsync(options, options.DataPath ?? tree.Options.DataPath, async c => await TreeConfigStore.OpenAsync(tree, options.Time, options.HistoryRetention, c), ct);
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
        return OpenAsync(options, dataPath, async c => await TreeConfigStore.OpenAsync(await openTree(c), options.Time, options.HistoryRetention, c), ct);
    }

    internal static async Task<ConfigEngine> OpenAsync(ConfigOptions options, string dataPath, Func<CancellationToken, Task<IConfigStore>> connect, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxContentBytes, 1);
        var engine = new ConfigEngine(options, dataPath, connect);
        try
        {
            await engine.ConnectAsync(ct);
            engine._dump.RemoveOthers(engine._map.Get);
        }
        catch (Exception e) when (IsOutage(e, ct))
        {
            engine.StartFromDump(e);
        }

        engine._syncLoop = Task.Run(engine.SyncLoopAsync, CancellationToken.None);
        engine._dumpLoop = Task.Run(engine.DumpLoopAsync, CancellationToken.None);
        if (options.RunTimers)
        {
            engine.StartTimers();
        }

        return engine;
    }

    /// <summary>Connects to the store (when not yet), reconciles everything, and marks the store available.</summary>
    private async Task ConnectAsync(CancellationToken ct)
    {
        if (_store is null)
        {
            var store = await _connect(ct);
            store.RemoteChanged += OnRemoteChanged;
            _store = store;
        }

        await ReconcileCoreAsync(_store, ct);
        if (_unavailable is { } was)
        {
            _log.LogWarning("config store is back (was: {Reason}); writes are accepted again", was);
        }

        _unavailable = null;
    }

    private void StartFromDump(Exception cause)
    {
        MarkUnavailable(cause);
        var loaded = 0;
        foreach (var (main, beta) in _dump.LoadAll())
        {
            var key = (main?.Key ?? beta?.Key)!.Value;
            loaded += Apply(key, main, main?.Rev ?? 0, beta, beta?.Rev ?? 0, dump: false) ? 1 : 0;
        }

        _log.LogWarning("config store unreachable at start ({Reason}); serving {Count} configs from the dump in {Folder}, refusing writes", _unavailable, loaded, _dump.Root);
    }

    /// <summary>Whether an exception means the store cannot be reached (not a refusal of the request).</summary>
    internal static bool IsOutage(Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException => !ct.IsCancellationRequested,
        System.Data.Common.DbException or IOException or System.Net.Sockets.SocketException or TimeoutException => true,
        _ => false,
    };

    private void MarkUnavailable(Exception cause)
    {
        var reason = $"{cause.GetType().Name}: {cause.Message}";
        if (_unavailable is null)
        {
            _log.LogError(cause, "config store unreachable; serving from memory and refusing writes until it is back");
        }

        _unavailable = reason;
    }

    private ConfigException Unavailable() => new(ConfigErrorCode.Unavailable, $"the config store is unreachable ({_unavailable}); reads are served, writes are refused until it is back")
    {
        RetryAfter = TimeSpan.FromSeconds(1 + Random.Shared.Next(0, 5)),
    };

    /// <summary>Runs a store call; an outage marks the store unavailable and becomes <c>unavailable</c>.</summary>
    private async Task<T> StoreAsync<T>(Func<IConfigStore, Task<T>> call, CancellationToken ct)
    {
        var store = _store;
        if (store is null || _unavailable is not null)
        {
            throw Unavailable();
        }

        try
        {
            return await call(store);
        }
        catch (Exception e) when (IsOutage(e, ct))
        {
            MarkUnavailable(e);
            throw Unavailable();
        }
        catch (TreeException e)
        {
            throw Translate(e);
        }
    }

    private static ConfigException Translate(TreeException e) => e.Code switch
    {
        TreeErrorCode.NotFound => new ConfigException(ConfigErrorCode.NotFound, e.Message, e),
        TreeErrorCode.Conflict or TreeErrorCode.AlreadyExists or TreeErrorCode.HandleBusy => new ConfigException(ConfigErrorCode.Conflict, e.Message, e),
        _ => new ConfigException(ConfigErrorCode.InvalidArgument, e.Message, e),
    };

    private void Authorize(Grove.Identity.Principal? actor, string what)
    {
        if (actor is null || actor.IsAdmin || actor.Groups.Contains(_options.EditorGroup, StringComparer.Ordinal))
        {
            return;
        }

        throw new ConfigException(ConfigErrorCode.Forbidden, $"'{actor.User}' may not {what}: only admins and members of the group '{_options.EditorGroup}' may");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var t in _timers)
        {
            await t.DisposeAsync();
        }

        await _stop.CancelAsync();
        await _syncLoop;
        await _dumpLoop;
        FlushDump();
        await _syncGate.WaitAsync();
        await _writeGate.WaitAsync();
        if (_store is not null)
        {
            _store.RemoteChanged -= OnRemoteChanged;
            await _store.DisposeAsync();
        }

        _stop.Dispose();
    }
}
