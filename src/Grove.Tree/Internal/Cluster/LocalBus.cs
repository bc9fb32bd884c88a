using System.Data.Common;

namespace Grove.Tree.Internal.Cluster;

/// <summary>
/// The bus of a store no other process can open (SQLite, whose data folder is locked to one process; memory): every
/// message is this node's own, delivered at once to the subscribers that asked for their own node's messages.
/// </summary>
internal sealed class LocalBus : IClusterBus
{
    private readonly Subscribers _subscribers = new();

    public string NodeId { get; } = ObjectIds.New();

    public bool Shared => false;

    public bool Connected => true;

    public IDisposable Subscribe(string topic, Action<BusMessage> handler, bool includeOwn = false) =>
        _subscribers.Add(topic, handler, includeOwn);

    public Task PublishAsync(string topic, string payload, CancellationToken ct)
    {
        BusLimits.CheckTopic(topic);
        BusLimits.CheckPayload(payload);
        _subscribers.Deliver(new BusMessage(topic, payload, NodeId, Resync: false, Own: true));
        return Task.CompletedTask;
    }

    public Task PublishAsync(string topic, string payload, DbTransaction transaction, CancellationToken ct) =>
        PublishAsync(topic, payload, ct);
}
