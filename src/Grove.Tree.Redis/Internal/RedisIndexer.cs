using Grove.Tree.Storage;
using StackExchange.Redis;

namespace Grove.Tree.Redis.Internal;

/// <summary>
/// The index of a <c>redis(Key)</c> mount (the seed's WnIoRedisIndexer, with queries): rows as hashes, children as a
/// sorted set of names, a change set as one checking script (<see cref="RedisCommitScript"/>), <c>expi</c> as a Redis
/// expiry. Several nodes share one Redis; names sort by their UTF-8 bytes, like the SQL indexers. On a PostgreSQL store
/// it keeps its commits' change feed entries until the feed takes them (<see cref="IPendingFeed"/>).
/// </summary>
internal sealed class RedisIndexer : IIndexer, IPendingFeed
{
    private const int Batch = 256;
    private readonly IDatabase _db;
    private readonly RedisKeys _keys;
    private readonly RedisCommitter _committer;

    public RedisIndexer(IDatabase db, string key, TimeProvider time)
    {
        _db = db;
        _keys = new RedisKeys(key);
        _committer = new RedisCommitter(db, _keys, time);
    }

    public string Kind => "redis";

    public string FeedSource => "redis:" + _keys.Prefix;

    public async Task<IReadOnlyList<PendingFeedEntry>> PendingAsync(string log, long after, int limit, CancellationToken ct)
    {
        var next = (after + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + "-0";
        var r = (RedisResult[])(await _db.ScriptEvaluateAsync(RedisScripts.Pending, [_keys.FeedEntries(log)], [after > 0 ? next : "", next, limit]))!;
        var list = new List<PendingFeedEntry>(r.Length);
        foreach (var e in r)
        {
            var entry = (RedisResult[])e!;
            var id = entry[0].ToString();
            var fields = (RedisResult[])entry[1]!;
            list.Add(new PendingFeedEntry(long.Parse(id.AsSpan(0, id.IndexOf('-', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture), (byte[])fields[1]!));
        }

        return list;
    }

    public IndexerCapabilities Capabilities =>
        IndexerCapabilities.CustomMeta | IndexerCapabilities.Queries | IndexerCapabilities.KeysetListing | IndexerCapabilities.Transactions
        | IndexerCapabilities.SharedAcrossProcesses | IndexerCapabilities.VersionedUpdates;

    public async Task<TreeObject> InitializeAsync(string rootId, long now, CancellationToken ct)
    {
        if (await GetChildAsync("", "", ct) is { } existing)
        {
            return existing;
        }

        var root = new TreeObject { Id = rootId, ParentId = "", Name = "", Race = ObjectRace.Dir, Mode = 0b111_101_101, Created = now, Modified = now, Version = 1 };
        try
        {
            await CommitAsync(new ChangeSet().Insert(root), ct);
            return root;
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.AlreadyExists)
        {
            return (await GetChildAsync("", "", ct))!; // Another node created it first.
        }
    }

    public async ValueTask<TreeObject?> GetAsync(string id, CancellationToken ct)
    {
        var f = await _db.HashGetAsync(_keys.Object(id), RedisKeys.FullRowFields);
        return RedisKeys.Decode(f);
    }

    public async ValueTask<TreeObject?> GetChildAsync(string parentId, string name, CancellationToken ct) =>
        await RedisScripts.ChildAsync(_db, _keys, parentId, name) is { } row && row.ParentId == parentId && row.Name == name ? row : null;

    public async Task<IReadOnlyList<TreeObject>> ListAsync(string parentId, string? afterName, int limit, CancellationToken ct)
    {
        var result = new List<TreeObject>(Math.Min(limit, Batch));
        var after = afterName;
        while (result.Count < limit)
        {
            // Note that rows gone by their Redis expiry leave their name behind: they are skipped, and the page refilled.
            var take = Math.Min(Batch, limit - result.Count);
            var (last, read) = await RedisScripts.PageAsync(_db, _keys, parentId, after, take, result);
            if (read < take)
            {
                break;
            }

            after = last;
        }

        return result;
    }

    public async Task<IReadOnlyList<TreeObject>> QueryAsync(IndexQuery query, CancellationToken ct)
    {
        // Note that Redis has no query language: a query over one directory reads its children, one over the whole
        // mount scans the mount's rows; either way the kernel's own evaluator filters and sorts.
        var rows = new List<TreeObject>();
        if (RowQuery.ParentOf(query) is { } pid)
        {
            string? after = null;
            while (true)
            {
                var page = await ListAsync(pid, after, 5000, ct);
                rows.AddRange(page);
                if (page.Count < 5000)
                {
                    break;
                }

                after = page[^1].Name;
            }
        }
        else
        {
            var server = _db.Multiplexer.GetServers().First(s => !s.IsReplica);
            var ids = new List<string>();
            await foreach (var key in server.KeysAsync(_db.Database, _keys.Prefix + "o:*", 1000))
            {
                ids.Add(key.ToString()[(_keys.Prefix.Length + 2)..]);
            }

            foreach (var chunk in ids.Chunk(Batch))
            {
                var batch = _db.CreateBatch();
                var reads = chunk.Select(id => batch.HashGetAsync(_keys.Object(id), RedisKeys.RowFields)).ToList();
                batch.Execute();
                foreach (var read in reads)
                {
                    var f = await read;
                    if (RedisKeys.Decode(f) is { } row)
                    {
                        rows.Add(row);
                    }
                }
            }
        }

        return RowQuery.Run(rows, query);
    }

    public async Task<bool> HasChildrenAsync(string parentId, CancellationToken ct) =>
        (await ListAsync(parentId, null, 1, ct)).Count > 0;

    public Task CommitAsync(ChangeSet changes, CancellationToken ct) => _committer.CommitAsync(changes, ct);

    public async Task<IReadOnlyList<TreeObject>> ExpiredAsync(long now, int limit, CancellationToken ct)
    {
        var ids = await _db.SortedSetRangeByScoreAsync(_keys.Expiring, double.NegativeInfinity, now, Exclude.None, Order.Ascending, 0, limit);
        var rows = new List<TreeObject>();
        foreach (var id in ids)
        {
            if (await GetAsync(id.ToString(), ct) is { } row)
            {
                rows.Add(row);
            }
            else
            {
                await _db.SortedSetRemoveAsync(_keys.Expiring, id); // Redis expired it already.
            }
        }

        return rows;
    }

    public Task EnsureIndexAsync(string key, CancellationToken ct) => Task.CompletedTask;

    public Task<BlobRow?> GetBlobAsync(string bucket, string sha256, CancellationToken ct) => RedisBlobRows.GetAsync(_db, _keys, bucket, sha256);

    public Task<IReadOnlyList<BlobRow>> ListBlobsAsync(string bucket, string? afterSha, int limit, CancellationToken ct) =>
        RedisBlobRows.ListAsync(_db, _keys, bucket, afterSha, limit);

    public Task<IReadOnlyList<BlobRow>> UnreferencedBlobsAsync(long zeroBefore, BlobRow? after, int limit, CancellationToken ct) =>
        RedisBlobRows.UnreferencedAsync(_db, _keys, zeroBefore, after, limit);

    public Task<bool> DeleteBlobRowIfUnreferencedAsync(string bucket, string sha256, long zeroBefore, CancellationToken ct) =>
        RedisBlobRows.DeleteIfUnreferencedAsync(_db, _keys, bucket, sha256, zeroBefore);

    public async Task<IReadOnlyList<TreeObject>> ContentRowsAsync(string? afterId, int limit, CancellationToken ct)
    {
        var ids = await _db.SortedSetRangeByValueAsync(_keys.ContentRows, afterId is null ? default : (RedisValue)afterId, default, afterId is null ? Exclude.None : Exclude.Start, Order.Ascending, 0, limit);
        var rows = new List<TreeObject>(ids.Length);
        foreach (var id in ids)
        {
            if (await GetAsync(id.ToString(), ct) is { } row)
            {
                rows.Add(row);
            }
            else
            {
                await _db.SortedSetRemoveAsync(_keys.ContentRows, id); // Redis expired it.
            }
        }

        return rows;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
