using System.Text.Json;
using Grove.Tree;
using Grove.Tree.Storage;

namespace Grove.Records.Internal.Dao;

/// <summary>
/// The index of a <c>dao(Name)</c> mount: the rows of record set Name (main and history tables) are the mount's
/// objects (<see cref="DaoShape"/>). Listing is a keyset page on the name field, a find is the records engine's find
/// (one SQL query per table, merged in one order), a metadata edit updates the row's columns (checked against the
/// version field when the set has one), a create inserts and a delete deletes. Row changes go through the records
/// engine, so its hot cache and other nodes hear them; rows changed through the records API are never stale here,
/// since the tree does not cache this index (<see cref="IndexerCapabilities.ChangedOutside"/>).
/// </summary>
internal sealed class DaoIndexer(DaoServices services, string setName, string bucket, TimeProvider time) : IIndexer
{
    private const int Chunk = 1000;
    private DaoShape? _shape;

    public string Kind => "dao";

    public IndexerCapabilities Capabilities =>
        IndexerCapabilities.CustomMeta | IndexerCapabilities.Queries | IndexerCapabilities.KeysetListing
        | IndexerCapabilities.SharedAcrossProcesses | IndexerCapabilities.ChangedOutside;

    private async Task<(RecordService Records, DaoShape Shape)> OpenAsync(CancellationToken ct)
    {
        var records = await services.GetAsync(ct);
        CompiledSet set;
        try
        {
            set = await records.SetAsync(setName, ct);
        }
        catch (RecordsException e) when (e.Code == RecordsErrorCode.NotFound)
        {
            throw new TreeException(TreeErrorCode.NotFound, $"dao({setName}): no record set '{setName}'", e);
        }

        var shape = _shape is { } known && ReferenceEquals(known.Set, set) ? known : DaoShape.Create(set, bucket);
        _shape = shape;
        return (records, shape);
    }

    public Task<TreeObject> InitializeAsync(string rootId, long now, CancellationToken ct) =>
        throw new TreeException(TreeErrorCode.NotSupported, "a dao index holds a mount's children, never a tree's root");

    public async ValueTask<TreeObject?> GetAsync(string id, CancellationToken ct)
    {
        if (id.Length == 0)
        {
            return null;
        }

        var (records, shape) = await OpenAsync(ct);
        try
        {
            return await Guard(async () => await records.GetAsync(setName, [id], ct) is { } row ? shape.ToObject(row) : null);
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.InvalidMeta)
        {
            return null; // Note that an id that is not a key value (text for a Long key) names no row.
        }
    }

    public async ValueTask<TreeObject?> GetChildAsync(string parentId, string name, CancellationToken ct)
    {
        var (_, shape) = await OpenAsync(ct);
        if (shape.NamesAreKeys)
        {
            return await GetAsync(name, ct) is { } row && row.ParentId == parentId ? row : null;
        }

        var where = Where(shape, parentId, new Dictionary<string, object?> { [shape.Name.Name] = name });
        if (where is null)
        {
            return null;
        }

        var page = await FindAsync(new RecordQuery { Where = where, Limit = 1 }, ct);
        return page.Items.Count > 0 ? shape.ToObject(page.Items[0]) : null;
    }

    public async Task<IReadOnlyList<TreeObject>> ListAsync(string parentId, string? afterName, int limit, CancellationToken ct)
    {
        var (records, shape) = await OpenAsync(ct);
        var where = Where(shape, parentId, null);
        if (where is null && parentId.Length > 0 && shape.Field("pid") is null)
        {
            return [];
        }

        var sort = new SortPlan(shape.Set, [shape.Name.Name], records.Db.Flavor);
        string? cursor = null;
        if (afterName is not null)
        {
            // Note that a cursor holds the name and the key: the key of the row named afterName (any value if it is gone).
            var key = shape.NamesAreKeys ? null : (object?)(await GetChildAsync(parentId, afterName, ct))?.Id ?? (shape.Id.Type == RecordFieldType.String ? "" : 0L);
            cursor = sort.CursorOf(shape.NamesAreKeys ? [afterName] : [afterName, key]);
        }

        return await PagesAsync(shape, new RecordQuery { Where = where, Sort = [shape.Name.Name], After = cursor }, limit, ct);
    }

    public async Task<IReadOnlyList<TreeObject>> QueryAsync(IndexQuery query, CancellationToken ct)
    {
        var (records, shape) = await OpenAsync(ct);
        var where = new DaoFilter(shape).Compile(query.Filter, out var none);
        if (none)
        {
            return [];
        }

        var names = new List<string>();
        foreach (var key in query.Sort)
        {
            var f = shape.Resolve(key.Key) ?? throw new TreeException(TreeErrorCode.InvalidFilter, $"record set '{setName}' maps no field to sort key '{key.Key}'");
            if (!names.Contains(f.Name))
            {
                names.Add((key.Descending ? "-" : "") + f.Name);
            }
        }

        string? cursor = null;
        if (query.After is { } after)
        {
            var sort = new SortPlan(shape.Set, names, records.Db.Flavor);
            var values = after.Take(sort.KeyCount).ToList();
            cursor = sort.CursorOf(values);
        }

        return await PagesAsync(shape, new RecordQuery { Where = where, Sort = names, After = cursor }, query.Limit, ct);
    }

    private async Task<IReadOnlyList<TreeObject>> PagesAsync(DaoShape shape, RecordQuery query, int limit, CancellationToken ct)
    {
        var rows = new List<TreeObject>(Math.Min(limit, Chunk));
        var q = query;
        while (rows.Count < limit)
        {
            var page = await FindAsync(q with { Limit = Math.Min(Chunk, limit - rows.Count) }, ct);
            rows.AddRange(page.Items.Select(shape.ToObject));
            if (page.Next is null)
            {
                break;
            }

            q = q with { After = page.Next };
        }

        return rows;
    }

    private async Task<RecordPage> FindAsync(RecordQuery query, CancellationToken ct)
    {
        var (records, _) = await OpenAsync(ct);
        return await Guard(() => records.FindAsync(setName, query, ct));
    }

    /// <summary>The filter of a directory's children (null: every row), with extra equalities.</summary>
    private static JsonElement? Where(DaoShape shape, string parentId, Dictionary<string, object?>? extra)
    {
        var terms = extra ?? [];
        if (shape.Field("pid") is { } pid)
        {
            terms[pid.Name] = parentId.Length == 0 ? null : parentId;
        }
        else if (parentId.Length > 0)
        {
            return null;
        }

        return terms.Count == 0 ? null : JsonSerializer.SerializeToElement(terms);
    }

    public async Task<bool> HasChildrenAsync(string parentId, CancellationToken ct) => (await ListAsync(parentId, null, 1, ct)).Count > 0;

    public async Task CommitAsync(ChangeSet changes, CancellationToken ct)
    {
        if (changes.Sql is not null)
        {
            throw new TreeException(TreeErrorCode.NotSupported, "a dao mount cannot run statements with its changes");
        }

        var (records, shape) = await OpenAsync(ct);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();

        // Note that references are added before the rows that hold them and released after: a crash in between
        // leaves a count too high (content kept, fsck --repair corrects it), never a row whose content may be swept.
        await DaoBlobs.ApplyAsync(records.Db, changes.Refs.Where(r => r.Delta > 0), now, ct);
        await Guard(async () =>
        {
            foreach (var o in changes.Inserts)
            {
                await records.InsertAsync(setName, shape.ToRow(o, null), ct);
            }

            foreach (var (o, expected) in changes.Updates)
            {
                await records.UpdateAsync(setName, shape.ToRow(o, expected), ct);
            }

            foreach (var (id, _) in changes.Deletes)
            {
                if (!await records.DeleteAsync(setName, [id], ct))
                {
                    throw new TreeException(TreeErrorCode.Conflict, $"dao({setName}): row {id} is gone");
                }
            }

            return true;
        });
        await DaoBlobs.ApplyAsync(records.Db, changes.Refs.Where(r => r.Delta < 0), now, ct);
    }

    /// <summary>Runs a records call, turning its errors into the tree's codes the kernel acts on.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RecordsException e)
        {
            throw e.Code switch
            {
                RecordsErrorCode.DuplicateKey => new TreeException(TreeErrorCode.AlreadyExists, e.Message, e),
                RecordsErrorCode.Conflict => new TreeException(TreeErrorCode.Conflict, e.Message, e),
                RecordsErrorCode.NotFound => new TreeException(TreeErrorCode.NotFound, e.Message, e),
                RecordsErrorCode.InvalidQuery => new TreeException(TreeErrorCode.InvalidFilter, e.Message, e),
                _ => new TreeException(TreeErrorCode.InvalidMeta, e.Message, e),
            };
        }
    }

    public async Task<IReadOnlyList<TreeObject>> ExpiredAsync(long now, int limit, CancellationToken ct)
    {
        var (_, shape) = await OpenAsync(ct);
        if (shape.Field("expi") is not { } expi)
        {
            return [];
        }

        var where = JsonSerializer.SerializeToElement(new Dictionary<string, object> { [expi.Name] = new Dictionary<string, long> { ["$lte"] = now } });
        return await PagesAsync(shape, new RecordQuery { Where = where }, limit, ct);
    }

    public Task EnsureIndexAsync(string key, CancellationToken ct) => Task.CompletedTask;

    public async Task<BlobRow?> GetBlobAsync(string bucket, string sha256, CancellationToken ct) =>
        await DaoBlobs.GetAsync((await services.GetAsync(ct)).Db, bucket, sha256, ct);

    public async Task<IReadOnlyList<BlobRow>> ListBlobsAsync(string bucket, string? afterSha, int limit, CancellationToken ct) =>
        await DaoBlobs.ListAsync((await services.GetAsync(ct)).Db, bucket, afterSha, limit, ct);

    public async Task<bool> DeleteBlobRowIfUnreferencedAsync(string bucket, string sha256, long zeroBefore, CancellationToken ct) =>
        await DaoBlobs.DeleteIfUnreferencedAsync((await services.GetAsync(ct)).Db, bucket, sha256, zeroBefore, ct);

    public async Task<IReadOnlyList<BlobRow>> UnreferencedBlobsAsync(long zeroBefore, BlobRow? after, int limit, CancellationToken ct) =>
        await DaoBlobs.UnreferencedAsync((await services.GetAsync(ct)).Db, zeroBefore, after, limit, ct);

    public async Task<IReadOnlyList<TreeObject>> ContentRowsAsync(string? afterId, int limit, CancellationToken ct)
    {
        var (records, shape) = await OpenAsync(ct);
        if (shape.Field("sha256") is not { } sha)
        {
            return [];
        }

        var where = JsonSerializer.SerializeToElement(new Dictionary<string, object> { [sha.Name] = new Dictionary<string, object?> { ["$ne"] = null } });
        var cursor = afterId is null ? null : new SortPlan(shape.Set, [], records.Db.Flavor).CursorOf([afterId]);
        return await PagesAsync(shape, new RecordQuery { Where = where, After = cursor }, limit, ct);
    }

    public string NewId(string parentId, string name) => _shape switch
    {
        { NamesAreKeys: true } => name,
        { Id.Type: RecordFieldType.String } or null => ObjectIds.New(),
        _ => throw new TreeException(TreeErrorCode.NotSupported, $"dao({setName}): new rows need their key: map objKeys.nm to the key field '{_shape.Id.Name}' or use a String key"),
    };

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
