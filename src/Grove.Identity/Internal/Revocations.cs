using Grove.Tree;
using Grove.Tree.Cluster;

namespace Grove.Identity.Internal;

/// <summary>
/// Forgetting remembered principals on every node at once: a password change, a user's deletion or new groups, a
/// logout or a deleted key is applied to this node's cache and published on the cluster bus, where every other node
/// applies it too; after a gap in the bus every node forgets everything. Payloads: <c>u:user</c>, <c>t:tokenHash</c>,
/// <c>k:keyId</c>.
/// </summary>
internal sealed class Revocations : IDisposable
{
    public const string Topic = "identity";
    private readonly PrincipalCache _cache;
    private readonly IClusterBus _bus;
    private readonly IDisposable _subscription;

    public Revocations(PrincipalCache cache, IClusterBus bus)
    {
        _cache = cache;
        _bus = bus;
        _subscription = bus.Subscribe(Topic, Apply);
    }

    public Task UserAsync(string user, CancellationToken ct) => PublishAsync("u:" + user, ct);

    public Task TokenAsync(string tokenHash, CancellationToken ct) => PublishAsync("t:" + tokenHash, ct);

    public Task KeyAsync(string keyId, CancellationToken ct) => PublishAsync("k:" + keyId, ct);

    private async Task PublishAsync(string payload, CancellationToken ct)
    {
        Apply(new BusMessage(Topic, payload, _bus.NodeId, Resync: false, Own: true));
        await _bus.PublishAsync(Topic, payload, ct);
    }

    private void Apply(BusMessage m)
    {
        if (m.Resync)
        {
            _cache.Clear();
            return;
        }

        var what = m.Payload.Length > 2 ? m.Payload[2..] : "";
        switch (m.Payload[..Math.Min(2, m.Payload.Length)])
        {
            case "u:":
                _cache.RemoveUser(what);
                break;
            case "t:":
                _cache.Remove(what);
                break;
            case "k:":
                _cache.RemoveKey(what);
                break;
            default:
                _cache.Clear();
                break;
        }
    }

    public void Dispose() => _subscription.Dispose();
}
