using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

using Grove.Tree.Internal.Cluster;

namespace Grove.Tree.Internal.Postgres;

/// <summary>
/// The cluster bus over PostgreSQL: every node LISTENs on one channel with one connection; a message is
/// <c>topic US node US payload</c> (US = U+001F). NOTIFY is delivered only when its transaction commits, so a node
/// never hears of a change that did not happen. When the listening connection fails, subscribers are told to resync
/// at once and again once it is back, and <see cref="Connected"/> is false in between.
/// </summary>
internal sealed class PostgresBus : IClusterBus, IAsyncDisposable
{
    public const string Channel = "grove_bus";
    private const char Separator = '\u001f';
    private readonly NpgsqlDataSource _source;
    private readonly Subscribers _subscribers = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _listener;
    private volatile bool _connected;

    public PostgresBus(NpgsqlDataSource source) => _source = source;

    public string NodeId { get; } = ObjectIds.New();

    public bool Shared => true;

    public bool Connected => _connected;

    /// <summary>Test hook: the listening connection's process id, to terminate it from outside.</summary>
    internal int ListenerPid { get; private set; }

    /// <summary>Test hook: awaited before the listener connects again after a loss (to hold a gap open).</summary>
    internal Func<Task>? BeforeReconnect { get; set; }

    public IDisposable Subscribe(string topic, Action<BusMessage> handler, bool includeOwn = false) =>
        _subscribers.Add(topic, handler, includeOwn);

    public async Task PublishAsync(string topic, string payload, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("SELECT pg_notify(@c, @p)");
        cmd.Parameters.Add(Text("c", Channel));
        cmd.Parameters.Add(Text("p", Frame(topic, payload)));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task PublishAsync(string topic, string payload, DbTransaction transaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction is not NpgsqlTransaction { Connection: { } connection } tx)
        {
            throw new ArgumentException("a PostgreSQL bus publishes inside a transaction of the same database", nameof(transaction));
        }

        await using var cmd = new NpgsqlCommand("SELECT pg_notify(@c, @p)", connection, tx);
        cmd.Parameters.Add(Text("c", Channel));
        cmd.Parameters.Add(Text("p", Frame(topic, payload)));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The NOTIFY of a message as a batch command, for statements that travel in one batch with it.</summary>
    public NpgsqlBatchCommand NotifyCommand(string topic, string payload)
    {
        var cmd = new NpgsqlBatchCommand("SELECT pg_notify(@c, @p)");
        cmd.Parameters.Add(Text("c", Channel));
        cmd.Parameters.Add(Text("p", Frame(topic, payload)));
        return cmd;
    }

    /// <summary>Starts listening and returns once the listener is live, so nothing committed after it is missed.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        var live = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _listener = Task.Run(() => ListenAsync(live, _stop.Token), CancellationToken.None);
        await live.Task.WaitAsync(ct);
    }

    private string Frame(string topic, string payload)
    {
        BusLimits.CheckTopic(topic);
        BusLimits.CheckPayload(payload);
        return string.Concat(topic, Separator.ToString(), NodeId, Separator.ToString(), payload);
    }

    private async Task ListenAsync(TaskCompletionSource live, CancellationToken stop)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(stop);
                connection.Notification += (_, e) => Deliver(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop);
                }

                ListenerPid = connection.ProcessID;
                _connected = true;
                if (!live.TrySetResult())
                {
                    // Back after a lost connection: what was published meanwhile is gone.
                    _subscribers.Resync();
                }

                delay = TimeSpan.FromMilliseconds(50);
                while (true)
                {
                    await connection.WaitAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException or InvalidOperationException)
            {
                if (_connected)
                {
                    // Note that caches must stop trusting themselves now, not when the listener is back.
                    _connected = false;
                    _subscribers.Resync();
                }

                try
                {
                    await Task.Delay(delay, stop);
                    if (BeforeReconnect is { } hold)
                    {
                        await hold().WaitAsync(stop);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
        }
    }

    private void Deliver(string frame)
    {
        var a = frame.IndexOf(Separator, StringComparison.Ordinal);
        var b = a < 0 ? -1 : frame.IndexOf(Separator, a + 1);
        if (b < 0)
        {
            return;
        }

        var node = frame[(a + 1)..b];
        _subscribers.Deliver(new BusMessage(frame[..a], frame[(b + 1)..], node, Resync: false, Own: node == NodeId));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_listener is not null)
        {
            await _listener;
        }

        _stop.Dispose();
    }

    private static NpgsqlParameter Text(string name, string value) => new(name, NpgsqlDbType.Text) { Value = value };
}
