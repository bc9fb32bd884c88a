using System.Collections.Concurrent;

namespace Grove.Identity.Internal;

/// <summary>
/// Failed logins in a sliding window, counted per (user name, client key) and per client key. A pair that reached the
/// limit waits with exponential backoff (one minute after the limit, doubling with every further failure, never
/// longer than the window); a client key that reached its much higher limit waits until the oldest of its failures
/// leaves the window. Nothing is counted per user name alone, so failures from elsewhere never lock an account out,
/// and guessing at many names from one address does not lock out that address's correct logins until the client
/// limit. Refused attempts do not count, so the wait is finite even while an attacker keeps trying. Kept in memory,
/// per node.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time, int maxPerPair, int maxPerClient, TimeSpan window)
{
    /// <summary>The wait after a pair's failure that reached the limit; each further failure doubles it.</summary>
    public static readonly TimeSpan FirstLock = TimeSpan.FromMinutes(1);

    private const int MaxTracked = 100_000;

    // Note that past 2^20 minutes the backoff is far past any window: counting further changes nothing.
    private const int MaxDoublings = 20;

    private readonly ConcurrentDictionary<string, Queue<long>> _failures = new(StringComparer.Ordinal);
    private readonly long _window = (long)window.TotalMilliseconds;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string PairKey(string user, string? client) => "p:" + (client ?? "") + "\n" + user;

    private static string ClientKey(string client) => "c:" + client;

    /// <summary>How long until an attempt for this user from this client may go ahead; null when it may now.</summary>
    public TimeSpan? RetryAfter(string user, string? client)
    {
        var now = Now;
        var wait = PairWait(PairKey(user, client), now);
        if (!string.IsNullOrEmpty(client) && ClientWait(ClientKey(client), now) is { } clientWait && (wait is null || clientWait > wait))
        {
            wait = clientWait;
        }

        return wait is { } ms ? TimeSpan.FromMilliseconds(Math.Max(ms, 1)) : null;
    }

    public void Fail(string user, string? client)
    {
        var now = Now;
        if (_failures.Count >= MaxTracked)
        {
            Prune(now);
        }

        Add(PairKey(user, client), now, maxPerPair + MaxDoublings);
        if (!string.IsNullOrEmpty(client))
        {
            Add(ClientKey(client), now, maxPerClient);
        }
    }

    /// <summary>Forgets the failures of this user from this client (after a successful login).</summary>
    public void Reset(string user, string? client) => _failures.TryRemove(PairKey(user, client), out _);

    private long? PairWait(string key, long now)
    {
        if (!_failures.TryGetValue(key, out var q))
        {
            return null;
        }

        lock (q)
        {
            Expire(q, now);
            if (q.Count < maxPerPair)
            {
                return null;
            }

            var doublings = Math.Min(q.Count - maxPerPair, MaxDoublings);
            var lockMs = Math.Min((long)FirstLock.TotalMilliseconds << doublings, _window);
            var until = q.Last() + lockMs;
            return until > now ? until - now : null;
        }
    }

    private long? ClientWait(string key, long now)
    {
        if (!_failures.TryGetValue(key, out var q))
        {
            return null;
        }

        lock (q)
        {
            Expire(q, now);
            return q.Count >= maxPerClient ? q.Peek() + _window - now : null;
        }
    }

    private void Add(string key, long now, int keep)
    {
        var q = _failures.GetOrAdd(key, _ => new Queue<long>());
        lock (q)
        {
            Expire(q, now);
            q.Enqueue(now);
            while (q.Count > keep)
            {
                q.Dequeue();
            }
        }
    }

    private void Expire(Queue<long> q, long now)
    {
        while (q.Count > 0 && q.Peek() + _window <= now)
        {
            q.Dequeue();
        }
    }

    private void Prune(long now)
    {
        foreach (var (key, q) in _failures)
        {
            lock (q)
            {
                Expire(q, now);
                if (q.Count == 0)
                {
                    _failures.TryRemove(new KeyValuePair<string, Queue<long>>(key, q));
                }
            }
        }
    }
}
