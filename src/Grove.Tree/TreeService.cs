using Grove.Tree.Internal;
using Grove.Tree.Internal.Parts;

namespace Grove.Tree;

/// <summary>
/// The tree: one namespace of objects over pluggable indexers and buckets. Open one per data folder and share it;
/// every method is thread-safe and cancellable.
/// </summary>
public sealed partial class TreeService : IAsyncDisposable
{
    /// <summary>The bus topic on which shared indexers announce changed rows (ids, or <c>*</c>).</summary>
    private const string RowsTopic = "tree";

    private readonly TreeOptions _options;
    private readonly FileStream? _folderLock;
    private readonly OpenedStore _store;
    private readonly MountTable _mounts;
    private readonly PathResolver _paths;
    private readonly RowWriter _rows;
    private readonly ContentIo _content;
    private readonly WriteHandles _handles;
    private readonly TreeReader _reader;
    private readonly Remover _remover;
    private readonly Mover _mover;
    private readonly MountOps _mountOps;
    private readonly Checker _checker;
    private readonly BatchCommitter _batches;
    private readonly Reclaimer _reclaimer;
    private readonly ChangeLog _changes;
    private readonly CancellationTokenSource _stop = new();
    private Task _reclaiming = Task.CompletedTask;
    private bool _usesDataFolder;
    private IDisposable? _busSubscription;
    private int _disposed;

    private TreeService(TreeOptions options, StorageContext storage, IBucket bucket, FileStream? folderLock, TreeObject root, ChangeLog changes)
    {
        _changes = changes;
        _options = options;
        _folderLock = folderLock;
        _store = storage.Store!;
        var time = options.Time;
        Locks = new LockManager(_store.Leases, time);
        _mounts = new MountTable(storage, _store.Index, bucket) { Opened = changes.Opened, Closing = changes.ClosingAsync };
        _paths = new PathResolver(_mounts, root, options.CacheCapacity);
        _rows = new RowWriter(_paths, _mounts, time, changes);
        _content = new ContentIo(_paths, _mounts, _rows, options);
        _handles = new WriteHandles(_rows, _content, options.HandleLease);
        _reader = new TreeReader(_paths, _mounts);
        _remover = new Remover(_paths, _mounts, time, changes);
        _mover = new Mover(_paths, _mounts, _rows);
        _mountOps = new MountOps(_paths, _mounts, _rows);
        _checker = new Checker(_paths, _mounts, Locks, time, options.OrphanGrace);
        _batches = new BatchCommitter(_paths, _mounts, _rows, _content);
        _reclaimer = new Reclaimer(_mounts, Locks, time, options.OrphanGrace);
    }

    /// <summary>Named exclusive locks (leases with fencing tokens) for sections of work that must not run twice at once, on any node.</summary>
    public LockManager Locks { get; }

    /// <summary>The root directory.</summary>
    public TreeObject Root => _paths.Root;

    /// <summary>Cache hits and misses of path lookups since start.</summary>
    public (long Hits, long Misses) CacheStats => (Interlocked.Read(ref _paths.Cache.Hits), Interlocked.Read(ref _paths.Cache.Misses));

    /// <summary>The options the tree was opened with.</summary>
    public TreeOptions Options => _options;

    /// <summary>What the root store is, for messages (<c>sqlite</c>, <c>postgres (…)</c>, <c>memory</c>).</summary>
    public string StoreDescription => _store.Description;

    /// <summary>Whether the store keeps files in the data folder (false for the memory store).</summary>
    public bool UsesDataFolder => _usesDataFolder;

    /// <summary>The storage providers this tree uses.</summary>
    public StorageRegistry Storage => _mounts.Registry;

    /// <summary>
    /// Parses the options' store and asks its provider what it is, without opening it: whether it uses the data
    /// folder and whether it certainly holds no tree yet (so a tool can refuse a mistyped folder instead of creating one).
    /// </summary>
    /// <exception cref="TreeException"><c>invalid_store</c> when the store string is malformed or no provider serves it.</exception>
    public static async Task<StoreProbe> ProbeAsync(TreeOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var registry = options.Storage ?? StorageRegistry.Default;
        var spec = StoreSpec.Parse(options.Store);
        var provider = registry.Store(spec.Kind);
        var missing = await provider.IsMissingAsync(spec, new StorageContext(options, registry, null), ct);
        return new StoreProbe(spec, provider.UsesDataFolder, missing);
    }

    /// <summary>Opens (creating if needed) the tree described by <paramref name="options"/>.</summary>
    public static async Task<TreeService> OpenAsync(TreeOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var registry = options.Storage ?? StorageRegistry.Default;
        var spec = StoreSpec.Parse(options.Store);
        var provider = registry.Store(spec.Kind);
        FileStream? folderLock = null;
        if (provider.UsesDataFolder)
        {
            Directory.CreateDirectory(options.DataPath);
            folderLock = options.LockDataFolder ? LockFolder(options.DataPath) : null;
        }

        OpenedStore? store = null;
        try
        {
            store = await provider.OpenAsync(spec, new StorageContext(options, registry, null), ct);
            var storage = new StorageContext(options, registry, store);
            var (bucketKind, bucketSetting) = DefaultBucketSpec(options.DefaultBucket ?? store.DefaultBucketKind);
            var bucketProvider = registry.Bucket(bucketKind);
            bucketProvider.Check(bucketSetting, storage);
            var bucket = bucketProvider.Open("", bucketSetting, storage);
            var root = await store.Index.InitializeAsync(ObjectIds.New(), options.Time.GetUtcNow().ToUnixTimeMilliseconds(), ct);
            var changes = await ChangeLog.OpenAsync(store.Engines, store.Bus, store.Index, options.Time, options.ChangeRetention, ct);
            var tree = new TreeService(options, storage, bucket, folderLock, root with { Path = "/" }, changes) { _usesDataFolder = provider.UsesDataFolder };

            if (folderLock is not null)
            {
                // Note that this process holds the data folder alone: every swap file in it belongs to a write that
                // died with an earlier process (a crash mid-upload), so none can still finish.
                await bucket.RemoveStaleSwapAsync(DateTimeOffset.MaxValue, ct);
            }

            // Note that the store's bus is live before the first read can fill the cache.
            tree._busSubscription = store.Bus.Subscribe(RowsTopic, tree.OnBusMessage);
            if (options.ReclaimInterval > TimeSpan.Zero)
            {
                tree._reclaiming = Task.Run(() => tree._reclaimer.RunAsync(options.ReclaimInterval, tree._stop.Token), CancellationToken.None);
            }

            return tree;
        }
        catch
        {
            if (store is not null)
            {
                await store.DisposeAsync();
            }

            folderLock?.Dispose();
            throw;
        }
    }

    /// <summary>Splits <c>kind</c>, <c>kind(setting)</c> or <c>kind:setting</c> (the default bucket as configured).</summary>
    internal static (string Kind, string? Setting) DefaultBucketSpec(string text)
    {
        var s = text.Trim();
        var open = s.IndexOf('(', StringComparison.Ordinal);
        if (open > 0 && s.EndsWith(')'))
        {
            return (s[..open], s[(open + 1)..^1] is { Length: > 0 } inner ? inner : null);
        }

        var colon = s.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? (s[..colon], colon + 1 < s.Length ? s[(colon + 1)..] : null) : (s, null);
    }

    private static FileStream LockFolder(string dataPath)
    {
        var file = Path.Combine(dataPath, "grove.lock");
        try
        {
            // Note that FileShare.None takes an flock on Unix; the kernel drops it when the process dies, even by kill -9.
            var fs = new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            fs.SetLength(0);
            var pid = System.Text.Encoding.UTF8.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            fs.Write(pid);
            fs.Flush();
            return fs;
        }
        catch (IOException e)
        {
            var holder = "";
            try
            {
                using var r = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                holder = new StreamReader(r).ReadToEnd().Trim();
            }
            catch (IOException)
            {
                // Unreadable while locked on some systems; the message does without the pid.
            }

            throw new TreeException(TreeErrorCode.StoreLocked,
                $"data folder '{Path.GetFullPath(dataPath)}' is in use by another Grove process{(holder.Length > 0 ? $" (pid {holder})" : "")}; stop it or talk to it with --server", e);
        }
    }

    /// <summary>
    /// Raised after another node (sharing the PostgreSQL store) committed updates or deletes of these row ids, once
    /// this node's cache has dropped them; null means anything may have changed (a structural change, or a gap after
    /// a lost connection). Inserts alone are not announced. Raised on the listener's thread: handlers must be quick.
    /// </summary>
    public event Action<IReadOnlyList<string>?>? RemoteChange;

    /// <summary>The tables engines keep in the tree's database: connections, migrations, shared transactions.</summary>
    public EngineStorage Engines => _store.Engines;

    /// <summary>
    /// Whether <see cref="TreeBatch.WithSql"/> may be used: the root index is a SQL database whose transactions engines'
    /// tables share (SQLite, PostgreSQL; not the memory store).
    /// </summary>
    public bool SharesEngineTransactions => _mounts.Main.Indexer.Capabilities.HasFlag(IndexerCapabilities.SqlStatements);

    /// <summary>The notification channel between the nodes sharing this store (in-process for SQLite and memory).</summary>
    public IClusterBus Bus => _store.Bus;

    /// <summary>
    /// Lets an engine add statements to every change of the tree, in the same transaction where the store allows
    /// (<see cref="ITreeCommitHook"/>). Dispose the result to remove the hook.
    /// </summary>
    public IDisposable AddCommitHook(ITreeCommitHook hook) => _changes.AddHook(hook);

    /// <summary>
    /// The newest revision of the change feed this node knows of (0 when nothing changed yet). A change in a mount
    /// whose index keeps its feed entry (<c>redis</c>) takes its revision a moment after its commit answered: read
    /// <see cref="ChangeRevisionAsync"/> to start from "now" including this node's answered changes.
    /// </summary>
    public long ChangeRevision => _changes.Head;

    /// <summary>The newest revision once every change this node answered has one (see <see cref="ChangeRevision"/>).</summary>
    public async Task<long> ChangeRevisionAsync(CancellationToken ct = default)
    {
        await _changes.SettleAsync().WaitAsync(ct);
        return _changes.Head;
    }

    /// <summary>
    /// The committed changes under <paramref name="path"/> after revision <paramref name="afterRevision"/>, in commit
    /// order, reading at most <paramref name="limit"/> revisions. A reader behind the feed's retention (or holding a
    /// revision this store never issued) gets <see cref="ChangePage.Resync"/> and the revision to continue from.
    /// </summary>
    /// <exception cref="TreeException"><c>not_supported</c> when the feed is off (<see cref="TreeOptions.ChangeRetention"/> 0).</exception>
    public Task<ChangePage> ChangesAsync(string path, long afterRevision, int limit = 1000, CancellationToken ct = default) =>
        _changes.ReadAsync(TreeNames.Normalize(path), afterRevision, limit, ct);

    /// <summary>Completes when a change after <paramref name="afterRevision"/> may have committed (on any node), or after <paramref name="max"/>.</summary>
    public Task WaitForChangesAsync(long afterRevision, TimeSpan max, CancellationToken ct = default) => _changes.WaitAsync(afterRevision, max, ct);

    /// <summary>
    /// Follows the change feed under <paramref name="path"/> from after <paramref name="afterRevision"/>: pages with
    /// changes, or a resync, as they commit. Runs until cancelled.
    /// </summary>
    public async IAsyncEnumerable<ChangePage> WatchAsync(string path, long afterRevision, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var root = TreeNames.Normalize(path);
        var after = afterRevision;
        while (true)
        {
            var page = await _changes.ReadAsync(root, after, 1000, ct);
            var advanced = page.Revision != after;
            after = page.Revision;
            if (page.Resync || page.Changes.Count > 0)
            {
                yield return page;
            }

            if (!advanced)
            {
                await _changes.WaitAsync(after, TimeSpan.FromSeconds(5), ct);
            }
        }
    }

    private void OnBusMessage(BusMessage m)
    {
        if (m.Resync)
        {
            // Note that during a gap the cache serves nothing: another node's change could go unheard.
            _paths.Cache.Suspended = !_store.Bus.Connected;
            OnRemoteChange(null);
            return;
        }

        OnRemoteChange(m.Payload == "*" ? null : m.Payload.Split(','));
    }

    /// <summary>Another node committed changes to these rows (null: anything may have changed).</summary>
    private void OnRemoteChange(IReadOnlyList<string>? ids)
    {
        if (ids is null)
        {
            _paths.Cache.Clear();
        }
        else
        {
            foreach (var id in ids)
            {
                _paths.Cache.InvalidateId(id);
            }
        }

        try
        {
            RemoteChange?.Invoke(ids);
        }
        catch (Exception)
        {
            // Note that a failing subscriber must not stop the listener that keeps the cache coherent.
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _busSubscription?.Dispose();
        await _changes.SettleAsync();
        _changes.Dispose();
        await _stop.CancelAsync();
        await _reclaiming;
        _stop.Dispose();
        await _mounts.DisposeAsync();
        await _store.DisposeAsync();
        if (_folderLock is not null)
        {
            await _folderLock.DisposeAsync();
        }
    }
}
