using System.Collections.Concurrent;

namespace Grove.Config;

/// <summary>
/// The seed's request counter: each client IP may make <see cref="RefuseRequestCount"/> requests per window; past
/// that, requests are refused (Diamond answers 503, and its client moves to the next server) with a randomized
/// wait, so refused clients do not all come back at once. Thread-safe; one fixed window per IP.
/// </summary>
public sealed class RequestLimiter
{
    private const int PruneAbove = 100_000;

    private readonly TimeProvider _time;
    private readonly long _window;
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private int _limit;

    /// <summary>Creates a limiter of <paramref name="limit"/> requests per <paramref name="window"/> (0: no limit).</summary>
    public RequestLimiter(int limit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _limit = limit;
        _window = (long)window.TotalMilliseconds;
        _time = time;
    }

    /// <summary>Requests one IP may make per window (Diamond's setRefuseRequestCount/getRefuseRequestCount); 0 is no limit.</summary>
    public int RefuseRequestCount
    {
        get => Volatile.Read(ref _limit);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref _limit, value);
        }
    }

    /// <summary>The window length.</summary>
    public TimeSpan Window => TimeSpan.FromMilliseconds(_window);

    /// <summary>Counts one request of <paramref name="ip"/>; says whether it may go on. A null IP is never limited here.</summary>
    public RequestDecision TryAcquire(string? ip)
    {
        var limit = RefuseRequestCount;
        if (limit <= 0 || ip is null)
        {
            return new RequestDecision(true, TimeSpan.Zero);
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        // A new IP's window starts at its first request; a window aligned to the clock would reset a burst that straddles it.
        var counter = _counters.GetOrAdd(ip, static (_, start) => new Counter { Start = start }, now);
        long windowEnd;
        int count;
        lock (counter)
        {
            if (now >= counter.Start + _window)
            {
                counter.Start = now - ((now - counter.Start) % _window);
                counter.Count = 0;
            }

            count = ++counter.Count;
            windowEnd = counter.Start + _window;
        }

        if (_counters.Count > PruneAbove)
        {
            Prune(now);
        }

        if (count <= limit)
        {
            return new RequestDecision(true, TimeSpan.Zero);
        }

        var wait = Math.Max(1_000, windowEnd - now) + Random.Shared.Next(0, 3_000);
        return new RequestDecision(false, TimeSpan.FromSeconds(Math.Ceiling(wait / 1000.0)));
    }

    /// <summary>Requests counted for <paramref name="ip"/> in the current window.</summary>
    public int CountOf(string ip)
    {
        if (!_counters.TryGetValue(ip, out var c))
        {
            return 0;
        }

        lock (c)
        {
            return _time.GetUtcNow().ToUnixTimeMilliseconds() >= c.Start + _window ? 0 : c.Count;
        }
    }

    private void Prune(long now)
    {
        foreach (var (ip, c) in _counters)
        {
            if (now >= c.Start + _window)
            {
                _counters.TryRemove(new KeyValuePair<string, Counter>(ip, c));
            }
        }
    }

    private sealed class Counter
    {
        public long Start;
        public int Count;
    }
}
