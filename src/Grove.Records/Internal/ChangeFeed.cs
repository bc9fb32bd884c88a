using Grove.Tree.Cluster;

namespace Grove.Records.Internal;

/// <summary>
/// Keeps every node's hot cache coherent: a change publishes its key on the bus inside its transaction (PostgreSQL
/// delivers it at commit, never on rollback), this node invalidates right after commit, other nodes when they hear it,
/// and any gap in notifications empties the cache.
/// </summary>
internal sealed class ChangeFeed : IDisposable
{
    private static readonly BusTopic<string> RowsTopic = new("records.rows", s => s, s => s);
    private readonly IClusterBus _bus;
    private readonly HotCache _cache;
    private readonly IDisposable _subscription;

    public ChangeFeed(IClusterBus bus, HotCache cache)
    {
        _bus = bus;
        _cache = cache;
        _subscription = RowsTopic.Subscribe(bus, (payload, _) => Heard(payload), cache.Clear);
    }

    private void Heard(string payload)
    {
        if (payload.EndsWith("\u001e*", StringComparison.Ordinal))
        {
            _cache.Clear();
            return;
        }

        _cache.Invalidate(payload);
    }

    /// <summary>Announces a changed row in the writing transaction (call <see cref="Committed"/> after the commit).</summary>
    public Task PublishAsync(Session s, string cacheKey, CancellationToken ct) => RowsTopic.PublishAsync(_bus, cacheKey, s.WriteTransaction, ct);

    /// <summary>Announces that many rows of a set changed (bulk loads, dropped history tables).</summary>
    public Task PublishAllAsync(Session s, string set, CancellationToken ct) => RowsTopic.PublishAsync(_bus, set + "\u001e*", s.WriteTransaction, ct);

    public void Committed(string cacheKey)
    {
        if (cacheKey.EndsWith("\u001e*", StringComparison.Ordinal))
        {
            _cache.Clear();
        }
        else
        {
            _cache.Invalidate(cacheKey);
        }
    }

    public void Dispose() => _subscription.Dispose();
}
