namespace Grove.Tree.Internal;

/// <summary>
/// A throwaway index in memory (the seed's <c>mem</c>): same behaviour as the SQL indexers, including ordinal name
/// order, uniqueness of (pid, nm), versions and blob reference counts, guarded by one lock.
/// </summary>
internal sealed class MemIndexer : IIndexer
{
    private static readonly Comparer<string> NameOrder = Comparer<string>.Create(ScalarOrder.CompareStrings);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TreeObject> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, string>> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), BlobRow> _blobs = [];
    private readonly TimeProvider _time = TimeProvider.System;

    public string Kind => "mem";

    public IndexerCapabilities Capabilities =>
        IndexerCapabilities.CustomMeta | IndexerCapabilities.Queries | IndexerCapabilities.KeysetListing | IndexerCapabilities.Transactions
        | IndexerCapabilities.InlineContent;

    public Task<TreeObject> InitializeAsync(string rootId, long now, CancellationToken ct) => RootRow.EnsureAsync(this, rootId, now, ct);

    private TreeObject? Child(string pid, string nm) =>
        _children.TryGetValue(pid, out var kids) && kids.TryGetValue(nm, out var id) ? _rows[id] : null;

    private static TreeObject Shown(TreeObject row, bool withInline) => withInline ? row : row with { Inline = null };

    public ValueTask<TreeObject?> GetAsync(string id, CancellationToken ct)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_rows.GetValueOrDefault(id));
        }
    }

    public ValueTask<TreeObject?> GetChildAsync(string parentId, string name, CancellationToken ct)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(Child(parentId, name));
        }
    }

    public Task<IReadOnlyList<TreeObject>> ListAsync(string parentId, string? afterName, int limit, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_children.TryGetValue(parentId, out var kids))
            {
                return Task.FromResult<IReadOnlyList<TreeObject>>([]);
            }

            IEnumerable<KeyValuePair<string, string>> seq = kids;
            if (afterName is not null)
            {
                seq = seq.SkipWhile(kv => NameOrder.Compare(kv.Key, afterName) <= 0);
            }

            return Task.FromResult<IReadOnlyList<TreeObject>>(seq.Take(limit).Select(kv => Shown(_rows[kv.Value], false)).ToList());
        }
    }

    public Task<IReadOnlyList<TreeObject>> QueryAsync(IndexQuery query, CancellationToken ct)
    {
        var match = FilterEvaluator.Compile(query.Filter);
        var order = new ObjectComparer(query.Sort);
        List<TreeObject> all;
        lock (_gate)
        {
            all = _rows.Values.Where(match).ToList();
        }

        all.Sort(order);
        IEnumerable<TreeObject> seq = all;
        if (query.After is { } after)
        {
            seq = seq.Where(r => order.CompareToValues(r, after) > 0);
        }

        return Task.FromResult<IReadOnlyList<TreeObject>>(seq.Take(query.Limit).Select(r => Shown(r, false)).ToList());
    }

    public Task<bool> HasChildrenAsync(string parentId, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_children.TryGetValue(parentId, out var kids) && kids.Count > 0);
        }
    }

    public Task CommitAsync(ChangeSet changes, CancellationToken ct)
    {
        if (changes.HasSql)
        {
            throw new TreeException(TreeErrorCode.NotSupported, $"the '{Kind}' index runs no SQL");
        }

        lock (_gate)
        {
            // Validate everything first so that a failing set changes nothing.
            var gone = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (id, expected) in changes.Deletes)
            {
                Expect(id, expected);
                gone.Add(id);
            }

            var taken = new HashSet<(string, string)>();
            foreach (var (row, expected) in changes.Updates)
            {
                Expect(row.Id, expected);
                var old = _rows[row.Id];
                if ((old.ParentId != row.ParentId || old.Name != row.Name) && Child(row.ParentId, row.Name) is { } other && !gone.Contains(other.Id))
                {
                    throw TreeException.Exists($"'{row.Name}' in its directory");
                }

                taken.Add((row.ParentId, row.Name));
            }

            foreach (var row in changes.Inserts)
            {
                if ((Child(row.ParentId, row.Name) is { } other && !gone.Contains(other.Id)) || !taken.Add((row.ParentId, row.Name)) || _rows.ContainsKey(row.Id))
                {
                    throw TreeException.Exists($"'{row.Name}' in its directory");
                }
            }

            foreach (var (id, _) in changes.Deletes)
            {
                Unlink(_rows[id]);
                _rows.Remove(id);
            }

            foreach (var (row, _) in changes.Updates)
            {
                var old = _rows[row.Id];
                Unlink(old);
                Link(row.IsInline && row.Inline is null ? row with { Inline = old.Inline } : row);
            }

            foreach (var row in changes.Inserts)
            {
                Link(row);
            }

            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var r in changes.Refs)
            {
                var key = (r.Bucket, r.Sha256);
                var refs = (_blobs.TryGetValue(key, out var b) ? b.Refs : 0) + r.Delta;
                _blobs[key] = new BlobRow(r.Bucket, r.Sha256, r.Length, refs, refs <= 0 ? b?.ZeroSince ?? now : null);
            }
        }

        return Task.CompletedTask;
    }

    private void Expect(string id, long expected)
    {
        if (!_rows.TryGetValue(id, out var row) || row.Version != expected)
        {
            throw new TreeException(TreeErrorCode.Conflict, $"object {id} changed or vanished during the operation");
        }
    }

    private void Link(TreeObject row)
    {
        _rows[row.Id] = row;
        if (!_children.TryGetValue(row.ParentId, out var kids))
        {
            _children[row.ParentId] = kids = new SortedDictionary<string, string>(NameOrder);
        }

        kids[row.Name] = row.Id;
    }

    private void Unlink(TreeObject row)
    {
        if (_children.TryGetValue(row.ParentId, out var kids) && kids.TryGetValue(row.Name, out var id) && id == row.Id)
        {
            kids.Remove(row.Name);
        }
    }

    public Task<IReadOnlyList<TreeObject>> ExpiredAsync(long now, int limit, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<TreeObject>>(_rows.Values.Where(r => r.Expires <= now).OrderBy(r => r.Expires).Take(limit).ToList());
        }
    }

    public Task EnsureIndexAsync(string key, CancellationToken ct) => Task.CompletedTask;

    public Task<BlobRow?> GetBlobAsync(string bucket, string sha256, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_blobs.GetValueOrDefault((bucket, sha256)));
        }
    }

    public Task<IReadOnlyList<BlobRow>> UnreferencedBlobsAsync(long zeroBefore, BlobRow? after, int limit, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<BlobRow>>(_blobs.Values
                .Where(b => b.Refs <= 0 && b.ZeroSince is { } z && z <= zeroBefore)
                .OrderBy(b => b.ZeroSince).ThenBy(b => b.Bucket, StringComparer.Ordinal).ThenBy(b => b.Sha256, StringComparer.Ordinal)
                .SkipWhile(b => after is not null && (b.ZeroSince < after.ZeroSince || (b.ZeroSince == after.ZeroSince
                    && (string.CompareOrdinal(b.Bucket, after.Bucket) < 0 || (b.Bucket == after.Bucket && string.CompareOrdinal(b.Sha256, after.Sha256) <= 0)))))
                .Take(limit).ToList());
        }
    }

    public Task<IReadOnlyList<BlobRow>> ListBlobsAsync(string bucket, string? afterSha, int limit, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<BlobRow>>(_blobs.Values
                .Where(b => b.Bucket == bucket && string.CompareOrdinal(b.Sha256, afterSha ?? "") > 0)
                .OrderBy(b => b.Sha256, StringComparer.Ordinal).Take(limit).ToList());
        }
    }

    public Task<bool> DeleteBlobRowIfUnreferencedAsync(string bucket, string sha256, long zeroBefore, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_blobs.TryGetValue((bucket, sha256), out var b) && b.Refs <= 0 && b.ZeroSince <= zeroBefore && _blobs.Remove((bucket, sha256)));
        }
    }

    public Task<IReadOnlyList<TreeObject>> ContentRowsAsync(string? afterId, int limit, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<TreeObject>>(_rows.Values
                .Where(r => r is { Race: ObjectRace.File, IsInline: false, Sha256: not null } && string.CompareOrdinal(r.Id, afterId ?? "") > 0)
                .OrderBy(r => r.Id, StringComparer.Ordinal).Take(limit).ToList());
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
