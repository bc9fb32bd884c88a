namespace Grove.Tree;

/// <summary>
/// Named exclusive locks with a lease and a fencing token, for exclusive sections of work. A holder that lets the
/// lease run out loses the lock to the next taker; its token is then stale, which the guarded resource can check.
/// </summary>
public sealed class LockManager(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Holder> _held = new(StringComparer.Ordinal);
    private long _fence;

    private sealed class Holder
    {
        public required long Token { get; init; }

        public required DateTimeOffset Until { get; set; }

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Takes the lock, waiting up to <paramref name="wait"/> (default: forever) for the holder to release it or its lease to end.</summary>
    public async Task<TreeLock> AcquireAsync(string name, TimeSpan lease, TimeSpan? wait = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var deadline = wait is { } w ? time.GetUtcNow() + w : DateTimeOffset.MaxValue;
        while (true)
        {
            if (TryAcquire(name, lease) is { } got)
            {
                return got;
            }

            Holder h;
            lock (_gate)
            {
                h = _held[name];
            }

            var now = time.GetUtcNow();
            if (now >= deadline)
            {
                throw new TreeException(TreeErrorCode.LockTimeout, $"lock '{name}' is held (token {h.Token}) until {h.Until:O}");
            }

            var until = h.Until < deadline ? h.Until : deadline;
            var delay = until - now;
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var timer = Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1), time, cts.Token);
            await Task.WhenAny(h.Released.Task, timer);
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Takes the lock if it is free or its lease has ended; null otherwise.</summary>
    public TreeLock? TryAcquire(string name, TimeSpan lease)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_held.TryGetValue(name, out var h) && h.Until > now)
            {
                return null;
            }

            h?.Released.TrySetResult();
            var holder = new Holder { Token = ++_fence, Until = now + lease };
            _held[name] = holder;
            return new TreeLock(this, name, holder.Token);
        }
    }

    /// <summary>Whether <paramref name="token"/> still holds the lock (its lease not taken over).</summary>
    public bool IsHeld(string name, long token)
    {
        lock (_gate)
        {
            return _held.TryGetValue(name, out var h) && h.Token == token && h.Until > time.GetUtcNow();
        }
    }

    internal bool Renew(string name, long token, TimeSpan lease)
    {
        lock (_gate)
        {
            if (!_held.TryGetValue(name, out var h) || h.Token != token)
            {
                return false;
            }

            h.Until = time.GetUtcNow() + lease;
            return true;
        }
    }

    internal void Release(string name, long token)
    {
        lock (_gate)
        {
            if (_held.TryGetValue(name, out var h) && h.Token == token)
            {
                _held.Remove(name);
                h.Released.TrySetResult();
            }
        }
    }
}
