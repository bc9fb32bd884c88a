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
    private readonly Archiver _archiver;
    private readonly Sweeper _sweeper;
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
        _archiver = new Archiver(tree, live, options, _signals, Counters, _root);
        _sweeper = new Sweeper(tree, live, options, time, _archiver, (id, ct) => FinishAsync(id, LogTaskStatus.Abandoned, null, ct));
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
            _background.Add(Task.Run(() => _archiver.RunWorkerAsync(_stop.Token)));
        }

        _background.Add(Task.Run(() => _sweeper.RunAsync(_stop.Token)));
    }

    /// <summary>Test hook: runs after each archive block is written (throw to simulate a crash mid-archive).</summary>
    internal Action<int>? ArchiveBlockHook
    {
        get => _archiver.ArchiveBlockHook;
        set => _archiver.ArchiveBlockHook = value;
    }

    /// <summary>Test hook: runs between the archive's commit and its verification (to damage it).</summary>
    internal Func<string, Task>? BeforeVerifyHook
    {
        get => _archiver.BeforeVerifyHook;
        set => _archiver.BeforeVerifyHook = value;
    }

    /// <summary>
    /// Archives every finished task still in the live store (<see cref="LogOptions.ArchiveWorkers"/> at a time) and
    /// returns how many were archived. The background archiver does the same continuously; this is for callers
    /// without it and for tests.
    /// </summary>
    public Task<int> ArchivePendingAsync(CancellationToken ct = default) => _archiver.ArchivePendingAsync(ct);

    /// <summary>Archives one finished task now (false when it is not sealed or another writer holds its object).</summary>
    internal Task<bool> ArchiveAsync(string taskId, CancellationToken ct) => _archiver.ArchiveAsync(taskId, ct);

    /// <summary>Finishes as <see cref="LogTaskStatus.Abandoned"/> every running task idle past <see cref="LogOptions.IdleTimeout"/>; returns how many.</summary>
    public Task<int> SweepIdleAsync(CancellationToken ct = default) => _sweeper.SweepIdleAsync(ct);

    /// <summary>Deletes archived logs that finished longer ago than <see cref="LogOptions.Retention"/>; returns how many.</summary>
    public Task<int> SweepRetentionAsync(CancellationToken ct = default) => _sweeper.SweepRetentionAsync(ct);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        _archiver.Complete();
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
