using System.Collections.Concurrent;

namespace Grove.Tree.Internal.Cluster;

/// <summary>The subscriptions of a bus, by topic; delivery copies nothing and never lets a handler's failure out.</summary>
internal sealed class Subscribers
{
    private readonly ConcurrentDictionary<string, ImmutableSubscriptions> _byTopic = new(StringComparer.Ordinal);

    private sealed record ImmutableSubscriptions(Subscription[] Items);

    internal sealed class Subscription(Subscribers owner, string topic, Action<BusMessage> handler, bool includeOwn) : IDisposable
    {
        public Action<BusMessage> Handler { get; } = handler;

        public bool IncludeOwn { get; } = includeOwn;

        public void Dispose() => owner.Remove(topic, this);
    }

    public IDisposable Add(string topic, Action<BusMessage> handler, bool includeOwn)
    {
        BusLimits.CheckTopic(topic);
        ArgumentNullException.ThrowIfNull(handler);
        var sub = new Subscription(this, topic, handler, includeOwn);
        _byTopic.AddOrUpdate(topic, _ => new([sub]), (_, old) => new([.. old.Items, sub]));
        return sub;
    }

    private void Remove(string topic, Subscription sub) =>
        _byTopic.AddOrUpdate(topic, _ => new([]), (_, old) => new([.. old.Items.Where(s => !ReferenceEquals(s, sub))]));

    /// <summary>Delivers a message to the topic's subscribers (own messages only to those who asked for them).</summary>
    public void Deliver(BusMessage message)
    {
        if (!_byTopic.TryGetValue(message.Topic, out var subs))
        {
            return;
        }

        foreach (var s in subs.Items)
        {
            if (!message.Own || s.IncludeOwn)
            {
                Invoke(s, message);
            }
        }
    }

    /// <summary>Tells every subscriber of every topic that messages may have been missed.</summary>
    public void Resync()
    {
        foreach (var (topic, subs) in _byTopic)
        {
            foreach (var s in subs.Items)
            {
                Invoke(s, new BusMessage(topic, "", "", Resync: true, Own: false));
            }
        }
    }

    private static void Invoke(Subscription s, BusMessage m)
    {
        try
        {
            s.Handler(m);
        }
        catch (Exception)
        {
            // Note that a failing subscriber must not stop the listener that keeps every other one coherent.
        }
    }
}
