using System.Collections.Concurrent;
using System.Threading.Channels;
using Grove.Logs.Internal;
using Grove.Logs.Internal.Local;
using Grove.Logs.Internal.Postgres;
using Grove.Tree;
using Grove.Tree.Storage;

namespace Grove.Logs;

/// <summary>
/// The task-log engine: tasks, idempotent appends, live storage, block-compressed archives in the tree, paging,
/// follow, search and download. One per tree; thread-safe. No HTTP: the server and the CLI are thin layers on it.
/// Errors are <see cref="LogException"/> with a stable code.
/// </summary>
public sealed partial class LogService : IAsyncDisposable
{
    private readonly TreeService _tree;
    private readonly LogOptions _options;
    private readonly TimeProvider _time;
    private readonly ILiveStore _live;
    private readonly FollowSignals _signals = new();
    private readonly ArchiveIndexCache _indexes = new(256);
    private readonly Channel<string> _queue;
    private readonly ConcurrentDictionary<string, byte> _queued = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _background = [];
    private readonly string _root;
    private int _disposed;

    private LogService(TreeService tree, LogOptions options, TimeProvider time, ILiveStore live)
    {
        _tree = tree;
        _options = options;
        _time = time;
        _live = live;
        _root = TreeNames.Normalize(options.Root);
        _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(Math.Max(1, options.ArchiveQueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
        _live.Changed = id =>
        {
            if (id == ILiveStore.Everything)
            {
                _signals.PulseAll();
            }
            else
            {
                _signals.Pulse(id);
            }
        };
    }

    /// <summary>Work counters since open.</summary>
    public LogCounters Counters { get; } = new();

    /// <summary>The options in force.</summary>
    public LogOptions Options => _options;

    /// <summary>Which live store serves this instance.</summary>
    public LiveStoreKind LiveStore { get; private set; }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Opens the engine over <paramref name="tree"/>: recovers the live store (cutting torn tails), queues finished
    /// tasks that were not archived yet, and (with <see cref="LogOptions.Background"/>) starts the archiver and sweeps.
    /// </summary>
    public static async Task<LogService> OpenAsync(TreeService tree, LogOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        options ??= new LogOptions();
        Validate(options);
        var time = options.Time ?? tree.Options.Time;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        // Note that lines live in the tree's database when other nodes share it, so every node reads every task.
        var kind = options.LiveStore == LiveStoreKind.Auto
            ? (tree.Engines.Flavor == SqlFlavor.Postgres ? LiveStoreKind.Postgres : LiveStoreKind.Local)
            : options.LiveStore;
        ILiveStore live = kind == LiveStoreKind.Postgres
            ? await PgLiveStore.OpenAsync(tree.Engines, tree.Bus, PgConfig.From(options), ct)
            : LocalLiveStore.Open(options.LivePath ?? Path.Join(tree.Options.DataPath, "logs-live"), LocalConfig.From(options, tree.Options.FullSync), now);
        var service = new LogService(tree, options, time, live) { LiveStore = kind };
        try
        {
            foreach (var key in new[] { Catalog.Status, Catalog.State, Catalog.End })
            {
                await tree.EnsureIndexAsync(key, ct);
            }
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.NotSupported)
        {
            // The memory index scans; nothing to create.
        }

        if (options.Background)
        {
            service.StartBackground();
        }

        return service;
    }

    private static void Validate(LogOptions o)
    {
        if (o.MaxTaskBytes < 1024 || o.MaxLineBytes < 256 || o.MaxBatchBytes < 1 || o.MaxBatchLines < 1
            || o.DefaultPageSize < 1 || o.MaxPageSize < o.DefaultPageSize || o.MaxSearchMatches < 1
            || o.ArchiveBlockBytes < 1024 || o.ArchiveQuality is < 0 or > 11 || o.ArchiveWorkers < 1
            || o.IdleTimeout <= TimeSpan.Zero || o.SweepInterval <= TimeSpan.Zero || o.FollowPoll <= TimeSpan.Zero)
        {
            throw LogException.Argument("log options out of range (sizes too small, page sizes inverted, quality not 0-11, or times not positive)");
        }
    }

    private void StartBackground()
    {
        for (var i = 0; i < _options.ArchiveWorkers; i++)
        {
            _background.Add(Task.Run(() => ArchiveWorkerAsync(_stop.Token)));
        }

        _background.Add(Task.Run(() => MaintainAsync(_stop.Token)));
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        _queue.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_background);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        await _live.DisposeAsync();
        _stop.Dispose();
    }
}
