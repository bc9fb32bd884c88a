using Grove.Tree;
using Grove.Tree.Query;

namespace Grove.Config.Internal;

internal sealed partial class TreeConfigStore
{
    private static readonly IReadOnlyList<SortKey> NewestFirst = [new SortKey("nm", Descending: true)];

    public async Task<IReadOnlyList<LogRecord>> ReadLogAsync(long afterRev, int limit, CancellationToken ct)
    {
        var page = await _tree.ListAsync(ConfigPaths.History, ConfigPaths.Pad(afterRev), limit, ct);
        var log = new List<LogRecord>(page.Items.Count);
        foreach (var o in page.Items)
        {
            if (long.TryParse(o.Name, out var rev) && ConfigPaths.FromCompact(ConfigMeta.String(o.Meta, ConfigMeta.Key)) is { } key)
            {
                log.Add(new LogRecord(rev, key, ConfigMeta.ParseOp(ConfigMeta.String(o.Meta, ConfigMeta.Op))));
            }
        }

        return log;
    }

    public Task<IReadOnlyList<HistoryRecord>> ListHistoryAsync(ConfigKey key, long? beforeId, int limit, CancellationToken ct)
    {
        var filter = Filter.Eq(ConfigMeta.Key, ConfigPaths.Compact(key));
        return QueryHistoryAsync(beforeId is { } id ? Filter.And(filter, Before(id)) : filter, limit, ct);
    }

    public async Task<HistoryRecord?> GetHistoryAsync(long id, CancellationToken ct)
    {
        if (id <= 0)
        {
            return null;
        }

        var path = ConfigPaths.HistoryEntry(id);
        var o = await _tree.FindAsync(path, ct);
        return o is null ? null : StoredCodec.History(o, await _tree.ReadAllBytesAsync(path, ct));
    }

    public Task<IReadOnlyList<HistoryRecord>> ListAuditAsync(AuditQuery query, CancellationToken ct)
    {
        var parts = new List<Filter>();
        if (query.Tenant is { } tenant)
        {
            parts.Add(Filter.Eq(ConfigMeta.Tenant, ConfigPaths.TenantDir(tenant)));
        }

        if (query.User is { } user)
        {
            parts.Add(Filter.Eq("c", user));
        }

        if (query.BeforeId is { } before)
        {
            parts.Add(Before(before));
        }

        return QueryHistoryAsync(parts.Count == 0 ? null : Filter.And([.. parts]), query.Limit, ct);
    }

    private static Filter Before(long id) => new CompareFilter("nm", CompareOp.Lt, ConfigPaths.Pad(id));

    private async Task<IReadOnlyList<HistoryRecord>> QueryHistoryAsync(Filter? filter, int limit, CancellationToken ct)
    {
        var page = await _tree.QueryAsync(new TreeQuery { Parent = ConfigPaths.History, Filter = filter, Sort = NewestFirst, Limit = limit }, ct);
        return page.Items.Select(o => StoredCodec.History(o, null)).OfType<HistoryRecord>().ToList();
    }
}
