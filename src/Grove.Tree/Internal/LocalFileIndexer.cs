using System.Collections.Concurrent;

namespace Grove.Tree.Internal;

/// <summary>
/// The index of a <c>file://</c> mount: rows are read from the real folder (ids are paths relative to the mount
/// root), confined to it. Custom metadata cannot be kept; versions and write leases live in memory.
/// </summary>
internal sealed class LocalFileIndexer(string root) : IIndexer
{
    private static readonly Comparer<string> NameOrder = Comparer<string>.Create(ScalarOrder.CompareStrings);
    private readonly ConcurrentDictionary<string, (long Version, long? Token, long Until)> _state = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string Kind => "file";

    public IndexerCapabilities Capabilities => IndexerCapabilities.Queries | IndexerCapabilities.PathAddressed;

    public string NewId(string parentId, string name) => Join(parentId, name);

    public Task<TreeObject> InitializeAsync(string rootId, long now, CancellationToken ct) =>
        throw new NotSupportedException("a file mount has no root row");

    private static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "/" + name;

    private TreeObject? Row(string id)
    {
        if (id.Length == 0)
        {
            return null;
        }

        var full = SafePath.Resolve(root, id);
        FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
        if (!info.Exists)
        {
            return null;
        }

        var slash = id.LastIndexOf('/');
        var state = _state.GetValueOrDefault(id, (1, null, 0));
        var isFile = info is FileInfo;
        return new TreeObject
        {
            Id = id,
            ParentId = slash < 0 ? "" : id[..slash],
            Name = slash < 0 ? id : id[(slash + 1)..],
            Race = isFile ? ObjectRace.File : ObjectRace.Dir,
            Type = isFile ? TreeNames.TypeOf(info.Name) : null,
            Mime = isFile ? TreeNames.MimeOf(info.Name) : null,
            Length = isFile ? ((FileInfo)info).Length : 0,
            Mode = isFile ? 0b110_100_100 : 0b111_101_101,
            Created = new DateTimeOffset(info.CreationTimeUtc).ToUnixTimeMilliseconds(),
            Modified = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds(),
            Version = state.Version,
            WriteToken = state.Token,
            WriteLeaseUntil = state.Until,
        };
    }

    public ValueTask<TreeObject?> GetAsync(string id, CancellationToken ct) => ValueTask.FromResult(Row(id));

    public ValueTask<TreeObject?> GetChildAsync(string parentId, string name, CancellationToken ct) =>
        ValueTask.FromResult(name == LocalFileBucket.SwapFolder && parentId.Length == 0 ? null : Row(Join(parentId, name)));

    private IEnumerable<string> ChildNames(string parentId)
    {
        var dir = parentId.Length == 0 ? root : SafePath.Resolve(root, parentId);
        if (!Directory.Exists(dir))
        {
            return [];
        }

        return Directory.EnumerateFileSystemEntries(dir)
            .Select(Path.GetFileName)
            .Where(n => n is not null && !(parentId.Length == 0 && n == LocalFileBucket.SwapFolder))
            .Select(n => n!);
    }

    public Task<IReadOnlyList<TreeObject>> ListAsync(string parentId, string? afterName, int limit, CancellationToken ct)
    {
        var names = ChildNames(parentId).Where(n => afterName is null || NameOrder.Compare(n, afterName) > 0).Order(NameOrder).Take(limit);
        return Task.FromResult<IReadOnlyList<TreeObject>>(names.Select(n => Row(Join(parentId, n))).OfType<TreeObject>().ToList());
    }

    public Task<IReadOnlyList<TreeObject>> QueryAsync(IndexQuery query, CancellationToken ct)
    {
        // The seed's "dumb query": walk the folder and filter in memory.
        var match = FilterEvaluator.Compile(query.Filter);
        var order = new ObjectComparer(query.Sort);
        var rows = new List<TreeObject>();
        var pending = new Stack<string>([""]);
        while (pending.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var dir = pending.Pop();
            foreach (var n in ChildNames(dir))
            {
                if (Row(Join(dir, n)) is not { } row)
                {
                    continue;
                }

                if (row.IsDir)
                {
                    pending.Push(row.Id);
                }

                if (match(row))
                {
                    rows.Add(row);
                }
            }
        }

        rows.Sort(order);
        IEnumerable<TreeObject> seq = rows;
        if (query.After is { } after)
        {
            seq = seq.Where(r => order.CompareToValues(r, after) > 0);
        }

        return Task.FromResult<IReadOnlyList<TreeObject>>(seq.Take(query.Limit).ToList());
    }

    public Task<bool> HasChildrenAsync(string parentId, CancellationToken ct) => Task.FromResult(ChildNames(parentId).Any());

    public Task CommitAsync(ChangeSet changes, CancellationToken ct)
    {
        if (changes.HasSql)
        {
            throw new TreeException(TreeErrorCode.NotSupported, $"the '{Kind}' index runs no SQL");
        }

        lock (_gate)
        {
            foreach (var (id, expected) in changes.Deletes)
            {
                var row = Expect(id, expected);
                var full = SafePath.Resolve(root, id);
                if (row.IsDir)
                {
                    Directory.Delete(full, recursive: false);
                }
                else
                {
                    File.Delete(full);
                }

                _state.TryRemove(id, out _);
            }

            foreach (var (row, expected) in changes.Updates)
            {
                var old = Expect(row.Id, expected);
                if (row.Meta.Count > 0 || row.Labels.Count > 0)
                {
                    throw new TreeException(TreeErrorCode.NotSupported, "objects in a file mount cannot hold custom metadata or labels");
                }

                var target = Join(row.ParentId, row.Name);
                if (target != old.Id)
                {
                    var from = SafePath.Resolve(root, old.Id);
                    var to = SafePath.Resolve(root, target);
                    if (Path.Exists(to))
                    {
                        throw TreeException.Exists(row.Name);
                    }

                    if (old.IsDir)
                    {
                        Directory.Move(from, to);
                    }
                    else
                    {
                        File.Move(from, to);
                    }

                    _state.TryRemove(old.Id, out _);
                }

                _state[target] = (row.Version, row.WriteToken, row.WriteLeaseUntil);
            }

            foreach (var row in changes.Inserts)
            {
                var full = SafePath.Resolve(root, row.Id);
                if (Path.Exists(full))
                {
                    throw TreeException.Exists(row.Name);
                }

                if (row.IsDir)
                {
                    Directory.CreateDirectory(full);
                }
                else
                {
                    using var _ = new FileStream(full, FileMode.CreateNew, FileAccess.Write);
                }
            }
        }

        return Task.CompletedTask;
    }

    private TreeObject Expect(string id, long expected)
    {
        var row = Row(id);
        if (row is null || row.Version != expected)
        {
            throw new TreeException(TreeErrorCode.Conflict, $"{id} changed or vanished during the operation");
        }

        return row;
    }

    public Task<IReadOnlyList<TreeObject>> ExpiredAsync(long now, int limit, CancellationToken ct) => Task.FromResult<IReadOnlyList<TreeObject>>([]);

    public Task EnsureIndexAsync(string key, CancellationToken ct) => Task.CompletedTask;

    public Task<BlobRow?> GetBlobAsync(string bucket, string sha256, CancellationToken ct) => Task.FromResult<BlobRow?>(null);

    public Task<IReadOnlyList<BlobRow>> ListBlobsAsync(string bucket, string? afterSha, int limit, CancellationToken ct) => Task.FromResult<IReadOnlyList<BlobRow>>([]);

    public Task<bool> DeleteBlobRowIfUnreferencedAsync(string bucket, string sha256, long zeroBefore, CancellationToken ct) => Task.FromResult(false);

    public Task<IReadOnlyList<TreeObject>> ContentRowsAsync(string? afterId, int limit, CancellationToken ct) => Task.FromResult<IReadOnlyList<TreeObject>>([]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
