using Npgsql;

namespace Grove.Logs.Internal.Postgres;

internal sealed partial class PgLiveStore
{
    /// <summary>Starts the listener and returns once it listens, so no change committed after open goes unheard.</summary>
    private async Task StartListeningAsync(CancellationToken ct)
    {
        var live = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _listener = Task.Run(() => ListenAsync(live, _stop.Token), CancellationToken.None);
        await live.Task.WaitAsync(ct);
    }

    private async Task ListenAsync(TaskCompletionSource live, CancellationToken stop)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(stop);
                connection.Notification += (_, e) => Changed?.Invoke(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {PgSchema.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop);
                }

                live.TrySetResult();
                delay = TimeSpan.FromMilliseconds(100);
                while (!stop.IsCancellationRequested)
                {
                    await connection.WaitAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // Note that followers also poll, so a change missed while reconnecting is seen at their next check.
                live.TrySetException(e);
                try
                {
                    await Task.Delay(delay, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }
}
