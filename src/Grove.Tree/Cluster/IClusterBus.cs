using System.Data.Common;

namespace Grove.Tree.Cluster;

/// <summary>
/// One notification channel between the nodes that share a store, with named topics. On PostgreSQL it is
/// LISTEN/NOTIFY on one connection per node, reconnected with back-off; on a store no other process can open
/// (SQLite, memory) it is in-process. A subscriber hears other nodes' messages (and, when it asks, its own node's),
/// and a <see cref="BusMessage.Resync"/> whenever messages may have been missed: when the listener loses its
/// connection (so caches stop trusting themselves at once) and again when it is back. Get it from
/// <see cref="TreeService.Bus"/>.
/// </summary>
public interface IClusterBus
{
    /// <summary>This node's id on the bus, different on every start.</summary>
    string NodeId { get; }

    /// <summary>Whether other processes hear what this one publishes (false for in-process buses).</summary>
    bool Shared { get; }

    /// <summary>False while the listener is down: messages published meanwhile may never arrive here.</summary>
    bool Connected { get; }

    /// <summary>
    /// Calls <paramref name="handler"/> for every message on <paramref name="topic"/> from other nodes (and this
    /// node's with <paramref name="includeOwn"/>), and with a resync message after a gap. Handlers run on the
    /// listener's thread: they must be quick and must not throw (what they throw is swallowed). Dispose to stop.
    /// </summary>
    IDisposable Subscribe(string topic, Action<BusMessage> handler, bool includeOwn = false);

    /// <summary>Publishes a message now: call it after the change it announces has committed.</summary>
    /// <exception cref="ArgumentException">The topic is malformed or the payload over <see cref="BusLimits.MaxPayloadBytes"/>.</exception>
    Task PublishAsync(string topic, string payload, CancellationToken ct);

    /// <summary>
    /// Publishes a message when <paramref name="transaction"/> commits, and never if it rolls back. PostgreSQL sends
    /// the NOTIFY inside the transaction, so no crash between the commit and the message can lose it; an in-process
    /// bus delivers it at once (nothing else can see the change, and its own node's subscribers act after commit).
    /// </summary>
    Task PublishAsync(string topic, string payload, DbTransaction transaction, CancellationToken ct);
}

/// <summary>A message heard on the bus.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Payload">The payload; empty for a resync.</param>
/// <param name="Node">The publishing node's id; empty for a resync.</param>
/// <param name="Resync">True when messages may have been missed: drop or revalidate what the topic keeps fresh.</param>
/// <param name="Own">True when this node published it.</param>
public readonly record struct BusMessage(string Topic, string Payload, string Node, bool Resync, bool Own);

/// <summary>The bus's limits.</summary>
public static class BusLimits
{
    /// <summary>The largest payload in UTF-8 bytes (PostgreSQL refuses NOTIFY payloads of 8,000 bytes and more).</summary>
    public const int MaxPayloadBytes = 7000;

    /// <summary>The longest topic name.</summary>
    public const int MaxTopicLength = 64;

    /// <summary>Throws unless the topic is 1 to 64 characters of letters, digits, <c>.</c>, <c>_</c> and <c>-</c>.</summary>
    public static void CheckTopic(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (topic.Length > MaxTopicLength || !topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException($"bus topic '{topic}' must be 1 to {MaxTopicLength} characters of A-Z a-z 0-9 . _ -", nameof(topic));
        }
    }

    /// <summary>Throws when the payload is too large.</summary>
    public static void CheckPayload(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (System.Text.Encoding.UTF8.GetByteCount(payload) > MaxPayloadBytes)
        {
            throw new ArgumentException($"a bus payload holds at most {MaxPayloadBytes} bytes; send keys, not rows", nameof(payload));
        }
    }
}
