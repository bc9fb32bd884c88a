using System.Diagnostics.CodeAnalysis;
using Grove.Records.Internal;
using Grove.Tree;
using Grove.Tree.Cluster;
using Grove.Tree.Storage;

namespace Grove.Records;

/// <summary>
/// The records engine: record sets defined by seed 003 mappings, as real tables in the tree's database
/// (<see cref="TreeService.Engines"/>), with history tables (seed 002), queries paged in one global order across
/// them, and a primary-key hot cache kept coherent across nodes by the bus. One per tree; thread-safe. Definitions
/// live in the engine table <c>grove_record_sets</c>, physical tables in <c>grove_record_tables</c>.
/// Errors are <see cref="RecordsException"/>.
/// </summary>
public sealed class RecordService : IAsyncDisposable
{
    private readonly Db _db;
    private readonly SetCatalog _catalog;
    private readonly HotCache _cache;
    private readonly ChangeFeed _feed;
    private readonly RowWriter _writer;
    private readonly KeyReader _reader;
    private readonly BulkLoader _bulk;
    private readonly BatchWriter _batch;
    private readonly Rotator _rotator;
    private readonly Finder _finder;
    private readonly CancellationTokenSource _stop = new();
    private Task? _schedule;
    private int _disposed;

    private RecordService(EngineStorage engines, IClusterBus bus, LockManager locks, TimeProvider treeTime, RecordsOptions options)
    {
        Options = options;
        var time = options.Time ?? treeTime;
        Engines = engines;
        _db = new Db(engines, time);
        _cache = new HotCache(options.CacheCapacity);
        _catalog = new SetCatalog(_db, bus, time);
        _feed = new ChangeFeed(bus, _cache);
        _writer = new RowWriter(_db, _catalog, _feed);
        _reader = new KeyReader(_db);
        _bulk = new BulkLoader(_db, options);
        _batch = new BatchWriter(_db, _catalog);
        _rotator = new Rotator(_db, _catalog, _feed, locks, options, time);
        _finder = new Finder(_db, options);
        _catalog.Changed = name =>
        {
            _reader.Forget(name);
            _finder.Forget(name);
        };
    }

    /// <summary>The database this engine's tables live in (for an engine whose own tables must commit with rows: <see cref="RecordWriteOptions.AlsoInTransaction"/>).</summary>
    public EngineStorage Storage => Engines;

    internal EngineStorage Engines { get; }

    internal Db Db => _db;

    internal Task<CompiledSet> SetAsync(string name, CancellationToken ct) => _catalog.GetAsync(name, ct);

    /// <summary>The options in force.</summary>
    public RecordsOptions Options { get; }

    /// <summary>Opens the engine over <paramref name="tree"/>, creating its catalog tables on first use.</summary>
    public static async Task<RecordService> OpenAsync(TreeService tree, RecordsOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        options ??= new RecordsOptions();
        if (options.CacheCapacity < 0 || options.DefaultPageSize < 1 || options.MaxPageSize < options.DefaultPageSize
            || options.RotationBatchRows < 1 || options.BulkChunkRows < 1 || options.MaxPageOffset < 0
            || options.RotationLease <= TimeSpan.Zero || options.RotationBatchTime <= TimeSpan.Zero || options.RotationInterval <= TimeSpan.Zero)
        {
            throw RecordsException.Argument("records options out of range");
        }

        await tree.Engines.MigrateAsync("records", CatalogSchema.Migrations, ct);
        var service = new RecordService(tree.Engines, tree.Bus, tree.Locks, tree.Options.Time, options);
        if (options.RotationInterval is { } every)
        {
            service._schedule = Task.Run(() => service._rotator.RunScheduleAsync(every, service._catalog.NamesAsync, service._stop.Token), CancellationToken.None);
        }

        OpenServices.Register(service);
        return service;
    }

    /// <summary>
    /// An engine for a store whose tree opened no records engine (the CLI's tree commands, a library host): what
    /// <c>dao</c> mounts use then. Its hot cache is off, since no other instance would hear its changes.
    /// </summary>
    internal static async Task<RecordService> OpenForStoreAsync(OpenedStore store, TimeProvider time, CancellationToken ct)
    {
        await store.Engines.MigrateAsync("records", CatalogSchema.Migrations, ct);
        return new RecordService(store.Engines, store.Bus, new LockManager(store.Leases, time), time, new RecordsOptions { CacheCapacity = 0 });
    }

    /// <summary>Defines a record set, or extends it: new fields and indexes are added; a destructive change is refused.</summary>
    public async Task<RecordSetInfo> DefineAsync(string name, RecordMapping mapping, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith(EnginePrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw RecordsException.Argument($"record set name '{name}' uses the reserved prefix {EnginePrefix} (Grove's own engines' sets)", "name");
        }

        if (mapping.TableName.StartsWith(EnginePrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw RecordsException.Mapping($"tableName '{mapping.TableName}' uses the reserved prefix {EnginePrefix}", "tableName");
        }

        var set = await _catalog.DefineAsync(name, mapping, ct);
        return await InfoAsync(set, ct);
    }

    /// <summary>The prefix of the names of sets and tables that Grove's own engines define (refused to <see cref="DefineAsync"/>).</summary>
    public const string EnginePrefix = "grove_";

    /// <summary>
    /// Defines or extends a record set of one of Grove's own engines (partner messages…): its name and table start with
    /// <see cref="EnginePrefix"/>, which no other define may take, so a user's set never collides with an engine's.
    /// </summary>
    public async Task<RecordSetInfo> DefineEngineSetAsync(string name, RecordMapping mapping, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(name);
        if (!name.StartsWith(EnginePrefix, StringComparison.Ordinal) || !mapping.TableName.StartsWith(EnginePrefix, StringComparison.Ordinal))
        {
            throw RecordsException.Argument($"an engine's set and its table are named {EnginePrefix}…", "name");
        }

        var set = await _catalog.DefineAsync(name, mapping, ct);
        return await InfoAsync(set, ct);
    }

    /// <summary>A record set's definition and tables.</summary>
    public async Task<RecordSetInfo> GetSetAsync(string name, CancellationToken ct = default) => await InfoAsync(await _catalog.GetAsync(name, ct), ct);

    /// <summary>The primary-key field names of a set (from the node's cached definition).</summary>
    public async Task<IReadOnlyList<string>> KeyFieldsAsync(string name, CancellationToken ct = default) => (await _catalog.GetAsync(name, ct)).Mapping.Pks;

    /// <summary>The names of every record set.</summary>
    public Task<IReadOnlyList<string>> ListSetsAsync(CancellationToken ct = default) => _catalog.NamesAsync(ct);

    private async Task<RecordSetInfo> InfoAsync(CompiledSet set, CancellationToken ct)
    {
        await using var s = await _db.BeginReadAsync(ct);
        return new RecordSetInfo(set.Name, set.Mapping, set.Revision, await SetCatalog.TablesAsync(s, set.Name, ct));
    }

    /// <summary>Inserts a row (keys are field names); returns it as stored. A duplicate key is <c>duplicate_key</c> (409).</summary>
    public async Task<RecordRow> InsertAsync(string set, IReadOnlyDictionary<string, object?> row, CancellationToken ct = default) =>
        await _writer.InsertAsync(await _catalog.GetAsync(set, ct), row ?? throw new ArgumentNullException(nameof(row)), upsert: false, ct);

    /// <summary>
    /// Inserts many rows in one transaction (at most 100,000): all of them or, on a refusal, none. With
    /// <see cref="RecordWriteOptions.SkipDuplicates"/> a row whose key or unique value is taken is skipped and answered
    /// null; otherwise the batch is refused with <c>duplicate_key</c>. Answers each written row (its
    /// <see cref="RecordWriteOptions.Returning"/> fields), in the order given.
    /// </summary>
    public async Task<IReadOnlyList<RecordRow?>> InsertManyAsync(string set, IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, RecordWriteOptions? options = null, CancellationToken ct = default) =>
        await _batch.InsertAsync(await _catalog.GetAsync(set, ct), rows ?? throw new ArgumentNullException(nameof(rows)), options ?? new RecordWriteOptions(), ct);

    /// <summary>Inserts or, when the key exists (in the main or a history table), updates the given fields.</summary>
    public async Task<RecordRow> UpsertAsync(string set, IReadOnlyDictionary<string, object?> row, CancellationToken ct = default) =>
        await _writer.InsertAsync(await _catalog.GetAsync(set, ct), row ?? throw new ArgumentNullException(nameof(row)), upsert: true, ct);

    /// <summary>
    /// Updates the given fields of the row with the row's key. With a version field the row must carry the version it
    /// was read at: another version is <c>conflict</c> (409); the version then increments.
    /// </summary>
    public async Task<RecordRow> UpdateAsync(string set, IReadOnlyDictionary<string, object?> row, CancellationToken ct = default) =>
        await _writer.UpdateAsync(await _catalog.GetAsync(set, ct), row ?? throw new ArgumentNullException(nameof(row)), ct);

    /// <summary>Deletes the row with the key (wherever it is); false when there was none.</summary>
    public async Task<bool> DeleteAsync(string set, IReadOnlyList<object?> key, CancellationToken ct = default) =>
        await _writer.DeleteAsync(await _catalog.GetAsync(set, ct), key ?? throw new ArgumentNullException(nameof(key)), ct);

    /// <summary>The row with the key, from the hot cache, the main table or a history table; null when there is none.</summary>
    public async Task<RecordRow?> GetAsync(string set, IReadOnlyList<object?> key, CancellationToken ct = default)
    {
        var s = await _catalog.GetAsync(set, ct);
        var k = s.Key(key ?? throw new ArgumentNullException(nameof(key)));
        return await _cache.GetOrLoadAsync(CacheKey.Of(s.Name, s.KeyText(k)), () => _reader.GetAsync(s, k, ct));
    }

    /// <summary>
    /// The row with a one-field integer key (the set's key field may be Integer, Long or String): a hot-cache hit
    /// completes synchronously and allocates nothing; a miss reads as <see cref="GetAsync(string, IReadOnlyList{object?}, CancellationToken)"/>.
    /// </summary>
    public ValueTask<RecordRow?> GetAsync(string set, long key, CancellationToken ct = default)
    {
        if (_catalog.TryGetLoaded(set, out var s) && s.LongKeyed)
        {
            if (_cache.TryGet(new CacheKey(s.Name, s.NameHash, key), out var hit))
            {
                return ValueTask.FromResult(hit);
            }
        }

        return new ValueTask<RecordRow?>(GetAsync(set, [key], ct));
    }

    /// <summary>
    /// The row named by <paramref name="keyText"/> when the hot cache holds it (a set with one Integer, Long or String
    /// key field, and a key in canonical decimal form): no I/O and no allocation. False when the set is not loaded on
    /// this node, the key has another form or the row is not cached; then ask <see cref="GetAsync(string, IReadOnlyList{object?}, CancellationToken)"/>.
    /// </summary>
    public bool TryGetCached(string set, string keyText, [NotNullWhen(true)] out RecordRow? row)
    {
        row = null;
        return _catalog.TryGetLoaded(set, out var s) && s.LongKeyed && CacheKey.TryCanonicalLong(keyText, out var key)
            && _cache.TryGet(new CacheKey(s.Name, s.NameHash, key), out row) && row is not null;
    }

    /// <summary>
    /// Loads rows in committed chunks (<see cref="RecordsOptions.BulkChunkRows"/>: prepared batches on SQLite, binary
    /// COPY on PostgreSQL); a failure keeps the chunks committed before it and reports how many rows they held.
    /// </summary>
    public async Task<long> BulkInsertAsync(string set, IAsyncEnumerable<IReadOnlyDictionary<string, object?>> rows, IProgress<long>? progress = null, CancellationToken ct = default) =>
        await _bulk.LoadAsync(await _catalog.GetAsync(set, ct), rows ?? throw new ArgumentNullException(nameof(rows)), progress, ct);

    /// <summary>Moves rows beyond the policy's mainRows into history tables now (one rotator across nodes); see <see cref="Rotator"/>.</summary>
    public async Task<RotationResult> RotateAsync(string set, CancellationToken ct = default) =>
        await _rotator.RotateAsync(await _catalog.GetAsync(set, ct), wait: true, null, ct);

    /// <summary>Rotates now, reporting the rows moved so far after every committed batch.</summary>
    public async Task<RotationResult> RotateAsync(string set, IProgress<long>? progress, CancellationToken ct = default) =>
        await _rotator.RotateAsync(await _catalog.GetAsync(set, ct), wait: true, progress, ct);

    /// <summary>Finds rows in one global order across the main and history tables, a page at a time.</summary>
    public async Task<RecordPage> FindAsync(string set, RecordQuery query, CancellationToken ct = default) =>
        await _finder.FindAsync(await _catalog.GetAsync(set, ct), query ?? new RecordQuery(), ct);

    /// <summary>Each table's live row count and the hot cache's counters.</summary>
    public async Task<RecordSetStats> StatsAsync(string set, CancellationToken ct = default)
    {
        var s = await _catalog.GetAsync(set, ct);
        var tables = await _finder.CountTablesAsync(s, ct);
        return new RecordSetStats(s.Name, tables, _cache.Hits, _cache.Misses, _cache.Count, _rotator.Status(s.Name));
    }

    /// <summary>The hot cache's counters (all sets).</summary>
    public (long Hits, long Misses, long Loads, int Count) CacheCounters => (_cache.Hits, _cache.Misses, _cache.Loads, _cache.Count);

    /// <summary>Test hook: runs after each committed rotation batch with the rows moved so far (throw to simulate a crash).</summary>
    internal Action<long>? RotationBatchHook
    {
        get => _rotator.BatchHook;
        set => _rotator.BatchHook = value;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        OpenServices.Unregister(this);
        await _stop.CancelAsync();
        if (_schedule is not null)
        {
            try
            {
                await _schedule;
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        _feed.Dispose();
        _catalog.Dispose();
        await _db.DisposeAsync();
        _stop.Dispose();
    }
}
