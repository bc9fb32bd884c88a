using Grove.Config;

namespace Grove.Server.Internal.Config;

/// <summary>One push stream's subscription: the keys it watches and which of them changed since it last looked.</summary>
internal sealed class WatchStream(IReadOnlyCollection<ConfigKey> keys, string? ip)
{
    private readonly HashSet<ConfigKey> _dirty = [];
    private readonly SemaphoreSlim _signal = new(0, 1);

    public IReadOnlyCollection<ConfigKey> Keys { get; } = keys;

    public string? Ip { get; } = ip;

    /// <summary>Notes that a watched key changed and wakes the stream (called on the engine's applying thread: quick).</summary>
    public void Mark(ConfigKey key)
    {
        lock (_dirty)
        {
            _dirty.Add(key);
        }

        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the stream drains every marked key at once.
        }
    }

    /// <summary>Waits for a change or the timeout; true when something was marked.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    /// <summary>The keys marked since the last call.</summary>
    public List<ConfigKey> Drain()
    {
        lock (_dirty)
        {
            var keys = _dirty.ToList();
            _dirty.Clear();
            return keys;
        }
    }
}
