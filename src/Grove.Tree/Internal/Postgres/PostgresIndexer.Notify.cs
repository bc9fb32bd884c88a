using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Grove.Tree.Internal.Postgres;

internal sealed partial class PostgresIndexer
{
    /// <summary>The channel every node listens on.</summary>
    internal const string Channel = "grove_cache";

    // PostgreSQL refuses payloads of 8000 bytes or more; past this, a notice says "everything" instead of listing ids.
    private const int MaxPayload = 7000;

    private readonly string _node = ObjectIds.New();
    private readonly CancellationTokenSource _stopListening = new();
    private Task? _listener;

    /// <summary>
    /// The notice of a change set, sent inside its own transaction: PostgreSQL delivers notifications only when the
    /// transaction commits, so no node ever hears of a change that did not happen. Null when nothing cached changed.
    /// </summary>
    private NpgsqlBatchCommand? NoticeOf(ChangeSet changes)
    {
        if (!changes.Structural && changes.Updates.Count == 0 && changes.Deletes.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder(_node).Append(' ');
        if (changes.Structural)
        {
            text.Append('*');
        }
        else
        {
            var first = true;
            foreach (var id in changes.Updates.Select(u => u.Row.Id).Concat(changes.Deletes.Select(d => d.Id)))
            {
                text.Append(first ? "" : ",").Append(id);
                first = false;
                if (text.Length > MaxPayload)
                {
                    text.Clear().Append(_node).Append(" *");
                    break;
                }
            }
        }

        var cmd = new NpgsqlBatchCommand("SELECT pg_notify(@channel, @payload)");
        cmd.Parameters.Add(P("channel", NpgsqlDbType.Text, Channel));
        cmd.Parameters.Add(P("payload", NpgsqlDbType.Text, text.ToString()));
        return cmd;
    }

    public async Task SubscribeAsync(Action<IReadOnlyList<string>?> onChange, CancellationToken ct)
    {
        var live = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _listener = Task.Run(() => ListenAsync(onChange, live, _stopListening.Token), CancellationToken.None);
        await live.Task.WaitAsync(ct);
    }

    private async Task ListenAsync(Action<IReadOnlyList<string>?> onChange, TaskCompletionSource live, CancellationToken stop)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(stop);
                connection.Notification += (_, e) => Deliver(e.Payload, onChange);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop);
                }

                if (!live.TrySetResult())
                {
                    // Back after a lost connection: notices may have been missed meanwhile.
                    onChange(null);
                }

                delay = TimeSpan.FromMilliseconds(100);
                while (true)
                {
                    await connection.WaitAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException)
            {
                if (live.Task.IsCompleted)
                {
                    onChange(null);
                }

                await Task.Delay(delay, stop).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    private void Deliver(string payload, Action<IReadOnlyList<string>?> onChange)
    {
        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || payload.AsSpan(0, space).SequenceEqual(_node))
        {
            return;
        }

        var body = payload[(space + 1)..];
        onChange(body == "*" ? null : body.Split(','));
    }

    private async ValueTask StopListeningAsync()
    {
        await _stopListening.CancelAsync();
        if (_listener is not null)
        {
            await _listener;
        }

        _stopListening.Dispose();
    }
}
