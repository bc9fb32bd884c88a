using Grove.Tree.Internal.Cluster;
using Grove.Tree.Internal.Postgres;
using Grove.Tree.Internal.Sqlite;

namespace Grove.Tree.Internal.Providers;

/// <summary>The embedded default: SQLite in <c>&lt;data&gt;/index.db</c>, content in the data folder's bucket.</summary>
internal sealed class SqliteStoreProvider : IStoreProvider
{
    public const string IndexFile = "index.db";

    public string Kind => StoreSpec.SqliteKind;

    public bool UsesDataFolder => true;

    public Task<bool> IsMissingAsync(StoreSpec spec, StorageContext context, CancellationToken ct) =>
        Task.FromResult(!File.Exists(Path.Combine(context.DataPath, IndexFile)));

    public Task<OpenedStore> OpenAsync(StoreSpec spec, StorageContext context, CancellationToken ct)
    {
        if (spec.Setting is not null)
        {
            throw new TreeException(TreeErrorCode.InvalidStore, "the SQLite store keeps its index in the data folder; choose the folder with --data, not a path after 'sqlite:'");
        }

        var file = Path.Combine(context.DataPath, IndexFile);
        var version = new SqliteFileVersion();
        var index = new SqliteIndexer(file, context.FullSync, context.Time, version);
        return Task.FromResult<OpenedStore>(new SimpleStore(index, LocalBucketProvider.LocalKind, StoreSpec.SqliteKind, SqliteEngineStorage.ForFile(file, context.FullSync, version), context.Time));
    }
}

/// <summary>The scale-out store: the tree's tables in one PostgreSQL database shared by every node.</summary>
internal sealed class PostgresStoreProvider : IStoreProvider
{
    public string Kind => StoreSpec.PostgresKind;

    public bool UsesDataFolder => true;

    public async Task<OpenedStore> OpenAsync(StoreSpec spec, StorageContext context, CancellationToken ct) =>
        await PostgresStore.OpenAsync(spec, context.Time, ct);
}

/// <summary>A throwaway tree in memory: nothing is kept, the data folder is not used.</summary>
internal sealed class MemoryStoreProvider : IStoreProvider
{
    public string Kind => StoreSpec.MemoryKind;

    public bool UsesDataFolder => false;

    public Task<OpenedStore> OpenAsync(StoreSpec spec, StorageContext context, CancellationToken ct) =>
        Task.FromResult<OpenedStore>(new SimpleStore(new MemIndexer(), MemoryBucketProvider.MemoryKind, "memory (nothing is kept)", SqliteEngineStorage.InMemory(), context.Time));
}

/// <summary>A store no other process opens: its index, in-process bus and leases, engine tables beside the index.</summary>
internal sealed class SimpleStore : OpenedStore
{
    private readonly IIndexer _index;
    private readonly LocalBus _bus = new();

    public SimpleStore(IIndexer index, string defaultBucketKind, string description, EngineStorage engines, TimeProvider time)
    {
        _index = index;
        DefaultBucketKind = defaultBucketKind;
        Description = description;
        Engines = engines;
        Leases = new LocalLeaseStore(_bus.NodeId, time);
    }

    public override IIndexer Index => _index;

    public override string DefaultBucketKind { get; }

    public override string Description { get; }

    public override EngineStorage Engines { get; }

    public override IClusterBus Bus => _bus;

    public override ILeaseStore Leases { get; }

    public override async ValueTask DisposeAsync()
    {
        await Engines.DisposeAsync();
        await _index.DisposeAsync();
    }
}

/// <summary>The PostgreSQL store: its index, the data source its buckets and engines share, the bus and the leases.</summary>
internal sealed class PostgresStore : OpenedStore
{
    private readonly PostgresBus _bus;

    private PostgresStore(PostgresIndexer index, StoreSpec spec, PostgresBus bus)
    {
        Postgres = index;
        _bus = bus;
        Description = $"postgres ({spec.Display})";
        Engines = new PostgresEngineStorage(index.Source);
        Leases = new PostgresLeaseStore(index.Source, bus.NodeId);
    }

    public PostgresIndexer Postgres { get; }

    public override IIndexer Index => Postgres;

    public override string DefaultBucketKind => PgChunkBucketProvider.PgKind;

    public override string Description { get; }

    public override EngineStorage Engines { get; }

    public override IClusterBus Bus => _bus;

    public override ILeaseStore Leases { get; }

    /// <summary>Opens the index and starts the bus's listener, so no change committed after opening goes unheard.</summary>
    public static async Task<PostgresStore> OpenAsync(StoreSpec spec, TimeProvider time, CancellationToken ct)
    {
        var index = await PostgresIndexer.OpenAsync(spec.Setting ?? spec.Text, time, ct);
        var bus = new PostgresBus(index.Source);
        try
        {
            await bus.StartAsync(ct);
            index.Bus = bus;
            return new PostgresStore(index, spec, bus);
        }
        catch
        {
            await bus.DisposeAsync();
            await index.DisposeAsync();
            throw;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _bus.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
