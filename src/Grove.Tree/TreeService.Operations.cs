using System.Diagnostics.CodeAnalysis;
using Grove.Tree.Internal;
using Grove.Tree.Query;

namespace Grove.Tree;

/// <summary>The tree's operations: each one delegates to the part that owns what it changes (see docs/architecture.md).</summary>
public sealed partial class TreeService
{
    /// <summary>Most children or query results one page may hold.</summary>
    public const int MaxPage = 10_000;

    /// <summary>The object at <paramref name="path"/>, or null when there is none.</summary>
    public async Task<TreeObject?> FindAsync(string path, CancellationToken ct = default) =>
        (await _paths.LocateAsync(TreeNames.Normalize(path), ct))?.Object;

    /// <summary>
    /// The object at a normalized path (<see cref="TreeNames.Normalize"/>) when this node's object cache holds it: no
    /// I/O and no allocation, for hot paths that can fall back to <see cref="FindAsync"/> when it answers false (not
    /// cached, or no such object). The cache is the one every read uses, kept coherent across nodes the same way; these
    /// look-ups are not counted in <see cref="CacheStats"/>.
    /// </summary>
    public bool TryFindCached(ReadOnlySpan<char> normalizedPath, [NotNullWhen(true)] out TreeObject? found)
    {
        found = _paths.Cache.TryGetPrefix(normalizedPath, out var hit) ? hit.Object : null;
        return found is not null;
    }

    /// <summary>The object at <paramref name="path"/>; <c>not_found</c> when there is none.</summary>
    public async Task<TreeObject> GetAsync(string path, CancellationToken ct = default) =>
        (await _paths.RequireAsync(path, ct)).Object;

    /// <summary>The object with <paramref name="id"/> (plain or two-part), or null.</summary>
    public async Task<TreeObject?> FindByIdAsync(string id, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return (await _paths.LocateIdAsync(id, ct))?.Object;
    }

    /// <summary>The object with <paramref name="id"/>; <c>not_found</c> when there is none.</summary>
    public async Task<TreeObject> GetByIdAsync(string id, CancellationToken ct = default) =>
        await FindByIdAsync(id, ct) ?? throw TreeException.NotFound("id " + id);

    /// <summary>
    /// One page of a directory's children in name order (ordinal). Pass the returned <see cref="Page{T}.Next"/>
    /// to get the next page; any page costs the same as the first (keyset paging).
    /// </summary>
    public Task<Page<TreeObject>> ListAsync(string path, string? after = null, int limit = 1000, CancellationToken ct = default) =>
        _reader.ListAsync(path, after, limit, ct);

    /// <summary>All children of a directory, streamed page by page in bounded memory.</summary>
    public IAsyncEnumerable<TreeObject> ListAllAsync(string path, int pageSize = 1000, CancellationToken ct = default) =>
        _reader.ListAllAsync(path, pageSize, ct);

    /// <summary>
    /// Walks a subtree depth-first (a directory before its children, children in name order), in memory bounded by
    /// depth times page size.
    /// </summary>
    public IAsyncEnumerable<TreeObject> WalkAsync(string path, CancellationToken ct = default) => _reader.WalkAsync(path, ct);

    /// <summary>
    /// Queries objects by a filter with sort, limit and keyset paging. With <see cref="TreeQuery.Parent"/> the
    /// children of that directory are searched (in whatever mount holds them); without, the whole root index.
    /// </summary>
    public Task<Page<TreeObject>> QueryAsync(TreeQuery query, CancellationToken ct = default) => _reader.QueryAsync(query, ct);

    /// <summary>
    /// Creates an index on a custom metadata key in the root index, so queries on it do not scan; nothing to do where
    /// the root index scans anyway (memory).
    /// </summary>
    public Task EnsureIndexAsync(string key, CancellationToken ct = default)
    {
        MetaRules.ValidateKey(key);
        return _mounts.Main.Indexer.Capabilities.HasFlag(IndexerCapabilities.ExpressionIndexes)
            ? _mounts.Main.Indexer.EnsureIndexAsync(key, ct)
            : Task.CompletedTask;
    }

    /// <summary>Creates a directory (with missing parents); an existing directory is returned as it is.</summary>
    public Task<TreeObject> MkdirAsync(string path, CreateOptions? options = null, CancellationToken ct = default) =>
        CreateAsync(path, ObjectRace.Dir, (options ?? new CreateOptions()) with { ExistOk = options?.ExistOk ?? true }, ct);

    /// <summary>Creates an empty file or a directory. Fails with <c>already_exists</c> unless <see cref="CreateOptions.ExistOk"/>.</summary>
    public async Task<TreeObject> CreateAsync(string path, ObjectRace race, CreateOptions? options = null, CancellationToken ct = default) =>
        (await _rows.CreateLocatedAsync(TreeNames.Normalize(path), race, options ?? new CreateOptions(), ct)).Object;

    /// <summary>Sets and removes metadata keys. A null value removes the key. Returns the updated object.</summary>
    public Task<TreeObject> SetMetaAsync(string path, IReadOnlyDictionary<string, object?> set, IEnumerable<string>? unset = null, string? user = null, CancellationToken ct = default) =>
        _rows.SetMetaAsync(path, set, unset, user, ct);

    /// <summary>Adds <paramref name="delta"/> to a numeric custom key (missing counts as 0), atomically. Returns the new value.</summary>
    public Task<long> IncrementAsync(string path, string key, long delta = 1, CancellationToken ct = default) =>
        _rows.IncrementAsync(path, key, delta, ct);

    /// <summary>
    /// Writes a file's whole content from a stream (creating the file and its parents if needed), any size, in
    /// bounded memory. The content is hashed as it streams, made durable in its bucket, and only then committed
    /// with <c>len</c>, <c>sha256</c> and <c>lm</c> in one transaction; a failure at any point leaves the previous
    /// content intact. Fails with <c>handle_busy</c> while a write handle holds the file.
    /// </summary>
    public Task<TreeObject> WriteAsync(string path, Stream content, PutOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return _content.WriteAsync(path, content, options ?? new PutOptions(), ct);
    }

    /// <summary>Writes a file's whole content from bytes.</summary>
    public Task<TreeObject> WriteAsync(string path, ReadOnlyMemory<byte> content, PutOptions? options = null, CancellationToken ct = default) =>
        WriteAsync(path, new MemoryStream(content.ToArray(), writable: false), options, ct);

    /// <summary>Opens a file's content for reading (a read handle: seekable, any number at once).</summary>
    public async Task<Stream> OpenReadAsync(string path, CancellationToken ct = default) =>
        await _content.OpenContentAsync(await _paths.RequireAsync(path, ct), ct);

    /// <summary>
    /// Opens a file's content together with the object it belongs to, so that <c>len</c> and <c>sha256</c> describe
    /// exactly the bytes of the stream (a server's <c>ETag</c> and <c>Content-Length</c>), even while writers commit.
    /// </summary>
    public Task<OpenedFile> OpenFileAsync(string path, CancellationToken ct = default) => _content.OpenFileAsync(path, ct);

    /// <summary>Reads a whole file into memory (for small files).</summary>
    public async Task<byte[]> ReadAllBytesAsync(string path, CancellationToken ct = default)
    {
        await using var s = await OpenReadAsync(path, ct);
        using var ms = new MemoryStream();
        await s.CopyToAsync(ms, ct);
        return ms.ToArray();
    }

    /// <summary>Reads the root row from the index itself (not the cache): throws when the store cannot be reached.</summary>
    public async Task CheckStoreAsync(CancellationToken ct = default) =>
        _ = await _mounts.Main.Indexer.GetAsync(_mounts.Main.LocalId(Root.Id), ct) ?? throw TreeException.NotFound("/");

    /// <summary>
    /// Opens the write handle of a file (created with its parents if missing). Fails with <c>handle_busy</c> while
    /// another handle's lease is live. The handle's token fences off any earlier holder.
    /// </summary>
    public async Task<WriteHandle> OpenWriteAsync(string path, WriteMode mode = WriteMode.Truncate, string? user = null, CancellationToken ct = default)
    {
        var loc = await _rows.CreateLocatedAsync(TreeNames.Normalize(path), ObjectRace.File, new CreateOptions { ExistOk = true, User = user }, ct);
        return await _handles.OpenAsync(loc, mode, ct);
    }

    /// <summary>
    /// Deletes an object. A directory with children needs <paramref name="recursive"/>; its subtree is removed
    /// bottom-up in batches, each batch one transaction releasing its content references, so an interrupted delete
    /// leaves a consistent, smaller tree. Removing a mount point detaches the mount (a file mount's real files stay).
    /// </summary>
    public Task DeleteAsync(string path, bool recursive = false, CancellationToken ct = default) => _remover.DeleteAsync(path, recursive, ct);

    /// <summary>Removes objects whose expiry has passed, across the root index and active mounts. Returns how many.</summary>
    public Task<int> SweepExpiredAsync(CancellationToken ct = default) => _remover.SweepExpiredAsync(ct);

    /// <summary>
    /// Moves or renames an object to exactly <paramref name="to"/>. A directory moves with its subtree in one row
    /// update (descendants point at it by id and are not rewritten). Fails if <paramref name="to"/> exists.
    /// </summary>
    public Task<TreeObject> MoveAsync(string from, string to, string? user = null, CancellationToken ct = default) => _mover.MoveAsync(from, to, user, ct);

    /// <summary>
    /// Mounts another index or bucket on an empty directory, with the seed's expression
    /// <c>$IndexType[($Setting)][://$Storage]</c>: <c>mem</c>, <c>mem://lbm(Name)</c>, <c>lbm(Name)</c>,
    /// <c>file:///abs/folder</c>. Kinds the registry knows but does not serve fail with <c>mount_unsupported</c>,
    /// naming the reason. With <paramref name="createMissing"/> a missing directory (and its parents) is created, but
    /// only once every check passed: a refused mount changes nothing.
    /// </summary>
    public Task<TreeObject> MountAsync(string path, string expression, CancellationToken ct = default, bool createMissing = false) =>
        _mountOps.MountAsync(path, expression, createMissing, ct);

    /// <summary>Removes a directory's mount. Objects of a memory index are dropped; a file mount's files stay on disk.</summary>
    public Task<TreeObject> UnmountAsync(string path, CancellationToken ct = default) => _mountOps.UnmountAsync(path, ct);

    /// <summary>
    /// Checks content against metadata: reports objects whose blob is missing (dangling), reference counts that
    /// disagree with the rows (corrected with <paramref name="repair"/>), and removes blobs no row references once
    /// they are older than the grace period, plus abandoned swap files. Referenced content is never removed.
    /// </summary>
    public Task<FsckReport> FsckAsync(bool repair = false, bool removeOrphans = true, CancellationToken ct = default) =>
        _checker.FsckAsync(repair, removeOrphans, ct);

    /// <summary>
    /// Runs one pass of the background reclaim now: content whose reference count has been zero longer than
    /// <see cref="TreeOptions.OrphanGrace"/> is removed from its bucket. False when another node is reclaiming.
    /// </summary>
    public Task<bool> ReclaimAsync(CancellationToken ct = default) => _reclaimer.PassAsync(ct);

    /// <summary>The background reclaim's figures: bytes waiting for the grace period, bytes reclaimed, the last pass.</summary>
    public ReclaimStats ReclaimStats => _reclaimer.Stats;

    /// <summary>
    /// Gives back memory the store holds for speed (the object cache, an embedded index's page caches and idle
    /// connections, free C heap pages), for a server that has gone idle; a no-op for stores without such caches. Safe to call while requests run.
    /// </summary>
    public async ValueTask TrimMemoryAsync(CancellationToken ct = default)
    {
        // Note that the object cache holds small files' content too; it refills from the index on the next reads.
        _paths.Cache.Clear();
        if (_store.Index is Internal.IMemoryTrim index)
        {
            await index.TrimAsync(ct);
        }

        if (_store.Engines is Internal.IMemoryTrim engines)
        {
            await engines.TrimAsync(ct);
        }

        await _changes.TrimAsync(ct);

        Internal.NativeHeap.Trim();
    }

    /// <summary>
    /// Commits every change of <paramref name="batch"/> in one transaction of the root index: all or nothing, on
    /// every indexer (and across nodes sharing PostgreSQL, where the version checks make it a compare-and-swap of all
    /// the files at once). Missing parent directories of created files are made first (outside the transaction; a
    /// failed batch can leave them, empty). Content over the inline threshold is made durable in the bucket before
    /// the transaction, as for any write. Returns the written objects in batch order (null for deletes).
    /// </summary>
    /// <exception cref="TreeException">
    /// <c>conflict</c> when a file is not at its expected version (or a path appears twice), <c>already_exists</c>
    /// when a created file exists, <c>not_found</c> when a replaced or deleted file is gone, <c>not_supported</c>
    /// for paths inside a mount with its own index. Nothing of the batch is applied then.
    /// </exception>
    public Task<IReadOnlyList<TreeObject?>> CommitAsync(TreeBatch batch, CancellationToken ct = default) => _batches.CommitAsync(batch, ct);
}
