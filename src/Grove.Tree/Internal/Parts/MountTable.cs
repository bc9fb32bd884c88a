using System.Collections.Concurrent;

namespace Grove.Tree.Internal.Parts;

/// <summary>
/// Which index and bucket serve each part of the tree: the main context, the contexts of mounts with an index of
/// their own (opened once per mount home, through the registry's providers), and the buckets by name.
/// </summary>
internal sealed class MountTable : IAsyncDisposable
{
    private readonly StorageRegistry _registry;
    private readonly StorageContext _storage;
    private readonly ConcurrentDictionary<string, MountContext> _mounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IBucket> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MountSpec> _specs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public MountTable(StorageContext storage, IIndexer index, IBucket bucket)
    {
        _storage = storage;
        _registry = storage.Registry;
        Main = new MountContext("", index, bucket, null);
        _buckets[bucket.Name] = bucket;
    }

    /// <summary>Called with a mount's own index once it opened (the change feed moves the entries it keeps).</summary>
    public Action<IIndexer>? Opened { get; set; }

    /// <summary>Awaited with a mount's own index before it closes.</summary>
    public Func<IIndexer, Task>? Closing { get; set; }

    /// <summary>The root index and the default bucket.</summary>
    public MountContext Main { get; }

    public StorageRegistry Registry => _registry;

    public StorageContext Storage => _storage;

    /// <summary>The main context and every open mount context.</summary>
    public IReadOnlyList<MountContext> Contexts => [Main, .. _mounts.Values];

    /// <summary>A mount expression parsed once per distinct text.</summary>
    public MountSpec Spec(string text) => _specs.GetOrAdd(text, m => MountSpec.Parse(m, _registry));

    /// <summary>The context and bucket that hold the children of a directory.</summary>
    public async ValueTask<(MountContext Context, IBucket Bucket)> ChildContextAsync(Located dir, CancellationToken ct)
    {
        if (dir.Object.Mount is not { } mnt)
        {
            return (dir.Context, dir.Bucket);
        }

        var spec = Spec(mnt);
        if (spec.IndexType.Length == 0 || KeepsObjectsInParent(spec))
        {
            return (dir.Context, BucketFor(spec) ?? dir.Bucket);
        }

        if (_mounts.TryGetValue(dir.Object.Id, out var ready))
        {
            return (ready, ready.Bucket);
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (!_mounts.TryGetValue(dir.Object.Id, out ready))
            {
                ready = await OpenAsync(dir, spec, ct);
                _mounts[dir.Object.Id] = ready;
                Opened?.Invoke(ready.Indexer);
            }

            return (ready, ready.Bucket);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The bucket a mount expression names, or null when it names none (the parent's, or a file mount's own).</summary>
    public IBucket? BucketFor(MountSpec spec) =>
        spec.StorageKind.Length == 0 || spec.IsFile ? null : Bucket(spec.StorageKind + ":" + spec.StorageSetting);

    /// <summary>A bucket by the name rows store in <c>bk</c>.</summary>
    public IBucket Bucket(string? name)
    {
        var key = name ?? "";
        if (_buckets.TryGetValue(key, out var b))
        {
            return b;
        }

        foreach (var m in _mounts.Values)
        {
            if (m.Bucket.Name == key)
            {
                return m.Bucket;
            }
        }

        // Note that a bucket is named kind:setting; its provider opens it once and the table keeps it.
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && _registry.Knows(StorageRole.Bucket, key[..colon]))
        {
            var provider = _registry.Bucket(key[..colon]);
            var setting = colon + 1 < key.Length ? key[(colon + 1)..] : null;
            return _buckets.GetOrAdd(key, k => provider.Open(k, setting, _storage));
        }

        throw new TreeException(TreeErrorCode.NotFound, $"bucket '{key}' is not available");
    }

    public bool TryBucket(string name, out IBucket bucket)
    {
        try
        {
            bucket = Bucket(name);
            return true;
        }
        catch (TreeException)
        {
            bucket = null!;
            return false;
        }
    }

    /// <summary>Whether the mount's objects stay in the parent's index (a storage-only mount, or a kind such as <c>mq</c>).</summary>
    public bool KeepsObjectsInParent(MountSpec spec) =>
        spec.IndexType.Length == 0 || (_registry.Serves(StorageRole.Index, spec.IndexType) && _registry.Index(spec.IndexType).KeepsObjectsInParent);

    /// <summary>
    /// Whether an engine changes the children of <paramref name="dir"/> by itself (a queue's messages, in a Redis index
    /// or beside its SQL table): they are never cached, on any node, so their changes need no notice to other nodes.
    /// </summary>
    public bool ChildrenChangeOutside(Located dir) =>
        dir.Object.Mount is { } m && Spec(m) is { IndexType.Length: > 0 } spec
        && _registry.Serves(StorageRole.Index, spec.IndexType) && _registry.Index(spec.IndexType) is { KeepsObjectsInParent: true, ChildrenChangeOutside: true };

    /// <summary>Whether a mount home's own index is open.</summary>
    public bool IsOpen(string homeId) => _mounts.ContainsKey(homeId);

    /// <summary>Closes a mount's own index (after an unmount or the removal of its home).</summary>
    public async Task DetachAsync(string homeId)
    {
        if (_mounts.TryRemove(homeId, out var ctx))
        {
            if (Closing is { } closing)
            {
                await closing(ctx.Indexer);
            }

            await ctx.Indexer.DisposeAsync();
        }
    }

    /// <summary>The default bucket, every bucket rows reference, and every bucket a provider finds holding content.</summary>
    public async Task<IReadOnlyCollection<string>> KnownBucketsAsync(IEnumerable<string> referenced, CancellationToken ct)
    {
        var names = new SortedSet<string>(referenced, StringComparer.Ordinal) { "" };
        foreach (var provider in _registry.BucketProviders)
        {
            await foreach (var name in provider.ExistingAsync(_storage, ct))
            {
                names.Add(name);
            }
        }

        return names;
    }

    private async Task<MountContext> OpenAsync(Located dir, MountSpec spec, CancellationToken ct)
    {
        if (dir.Context.Foreign)
        {
            throw new TreeException(TreeErrorCode.NotSupported, $"{dir.Path} is inside another index mount");
        }

        _registry.EnsureSupported(spec);
        var home = dir.Object.Id;
        var opened = await _registry.Index(spec.IndexType).OpenAsync(spec, home, _storage, ct);
        if (opened.Bucket is { } own)
        {
            _buckets[own.Name] = own;
        }

        return new MountContext(home, opened.Index, opened.Bucket ?? BucketFor(spec) ?? dir.Bucket, spec);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var m in _mounts.Values)
        {
            await m.Indexer.DisposeAsync();
        }

        _mounts.Clear();
        _gate.Dispose();
    }
}
