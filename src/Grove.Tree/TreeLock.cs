namespace Grove.Tree;

/// <summary>A held lock from <see cref="LockManager"/>; dispose to release it.</summary>
public sealed class TreeLock : IAsyncDisposable, IDisposable
{
    private readonly LockManager _owner;

    internal TreeLock(LockManager owner, string name, long token)
    {
        _owner = owner;
        Name = name;
        Token = token;
    }

    /// <summary>The lock's name.</summary>
    public string Name { get; }

    /// <summary>The fencing token: larger than any token handed out before for any lock.</summary>
    public long Token { get; }

    /// <summary>Whether this holder still has the lock.</summary>
    public bool IsHeld => _owner.IsHeld(Name, Token);

    /// <summary>Extends the lease; false when the lock was already lost.</summary>
    public bool Renew(TimeSpan lease) => _owner.Renew(Name, Token, lease);

    /// <inheritdoc/>
    public void Dispose() => _owner.Release(Name, Token);

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
