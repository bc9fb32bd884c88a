using System.Collections.Concurrent;

namespace Grove.Identity.Internal;

/// <summary>
/// Failed logins per user name and per client key in a sliding window. Once either has reached the limit, attempts
/// are refused until the oldest of those failures leaves the window. Refused attempts do not count, so the wait is
/// finite even while an attacker keeps trying. Kept in memory, per node.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time, int max, TimeSpan window)
{
    private const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<string, Queue<long>> _failures = new(StringComparer.Ordinal);
    private readonly long _window = (long)window.TotalMilliseconds;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string UserKey(string user) => "u:" + user;

    private static string ClientKey(string client) => "c:" + client;

    /// <summary>How long until an attempt for this user from this client may go ahead; null when it may now.</summary>
    public TimeSpan? RetryAfter(string user, string? client)
    {
        var now = Now;
        var wait = WaitFor(UserKey(user), now);
        if (!string.IsNullOrEmpty(client) && WaitFor(ClientKey(client), now) is { } clientWait && (wait is null || clientWait > wait))
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

        Add(UserKey(user), now);
        if (!string.IsNullOrEmpty(client))
        {
            Add(ClientKey(client), now);
        }
    }

    /// <summary>Forgets the user's failures (after a successful login).</summary>
    public void Reset(string user) => _failures.TryRemove(UserKey(user), out _);

    private long? WaitFor(string key, long now)
    {
        if (!_failures.TryGetValue(key, out var q))
        {
            return null;
        }

        lock (q)
        {
            Expire(q, now);
            return q.Count >= max ? q.Peek() + _window - now : null;
        }
    }

    private void Add(string key, long now)
    {
        var q = _failures.GetOrAdd(key, _ => new Queue<long>());
        lock (q)
        {
            Expire(q, now);
            q.Enqueue(now);
            while (q.Count > max)
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
