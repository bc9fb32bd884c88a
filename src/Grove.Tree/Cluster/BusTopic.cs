using System.Data.Common;

namespace Grove.Tree.Cluster;

/// <summary>A typed topic: its name and how its messages are written to and read from a payload.</summary>
/// <typeparam name="T">The message type.</typeparam>
public sealed class BusTopic<T>
{
    private readonly Func<T, string> _encode;
    private readonly Func<string, T> _decode;

    /// <summary>A topic named <paramref name="name"/> with its codec.</summary>
    public BusTopic(string name, Func<T, string> encode, Func<string, T> decode)
    {
        BusLimits.CheckTopic(name);
        Name = name;
        _encode = encode ?? throw new ArgumentNullException(nameof(encode));
        _decode = decode ?? throw new ArgumentNullException(nameof(decode));
    }

    /// <summary>The topic's name on the bus.</summary>
    public string Name { get; }

    /// <summary>Publishes a message now (after the change committed).</summary>
    public Task PublishAsync(IClusterBus bus, T message, CancellationToken ct) =>
        (bus ?? throw new ArgumentNullException(nameof(bus))).PublishAsync(Name, _encode(message), ct);

    /// <summary>Publishes a message when <paramref name="transaction"/> commits.</summary>
    public Task PublishAsync(IClusterBus bus, T message, DbTransaction transaction, CancellationToken ct) =>
        (bus ?? throw new ArgumentNullException(nameof(bus))).PublishAsync(Name, _encode(message), transaction, ct);

    /// <summary>
    /// Subscribes: <paramref name="onMessage"/> gets each decoded message (with whether this node sent it),
    /// <paramref name="onResync"/> each gap. A payload that does not decode counts as a gap.
    /// </summary>
    public IDisposable Subscribe(IClusterBus bus, Action<T, bool> onMessage, Action onResync, bool includeOwn = false)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(onMessage);
        ArgumentNullException.ThrowIfNull(onResync);
        return bus.Subscribe(Name, m =>
        {
            if (m.Resync)
            {
                onResync();
                return;
            }

            T value;
            try
            {
                value = _decode(m.Payload);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
            {
                onResync();
                return;
            }

            onMessage(value, m.Own);
        }, includeOwn);
    }
}
