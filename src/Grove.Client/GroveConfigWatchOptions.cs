namespace Grove.Client;

/// <summary>How <see cref="GroveConfigClient.WatchAsync"/> keeps its push stream alive and checks it.</summary>
public sealed class GroveConfigWatchOptions
{
    /// <summary>
    /// How often every watched MD5 is compared with the server's, whatever the stream says (the safety net against
    /// a stream that silently stopped delivering). Default 5 minutes.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A stream silent for this long (the server sends a keep-alive every 15 s) is dropped and opened again.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The first wait before reconnecting; it doubles (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnection attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Called (on the watcher's task) when the stream fails or a reconciliation cannot reach the server; the watch goes on.</summary>
    public Action<Exception>? OnError { get; set; }

    /// <summary>The clock for the waits.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
