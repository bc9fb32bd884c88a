namespace Grove.Tree.Internal.Parts;

/// <summary>The tree's commit hooks (<see cref="ITreeCommitHook"/>): the current list, read without a lock on every commit.</summary>
internal sealed class CommitHooks
{
    private readonly Lock _gate = new();
    private volatile ITreeCommitHook[] _hooks = [];

    public ITreeCommitHook[] Current => _hooks;

    public IDisposable Add(ITreeCommitHook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        lock (_gate)
        {
            _hooks = [.. _hooks, hook];
        }

        return new Removal(() =>
        {
            lock (_gate)
            {
                _hooks = [.. _hooks.Where(x => !ReferenceEquals(x, hook))];
            }
        });
    }

    /// <summary>The changes that go into the feed: those no hook keeps out of it as its own state.</summary>
    public static async ValueTask<IReadOnlyList<PendingChange>> LoggedAsync(ITreeCommitHook[] hooks, IReadOnlyList<PendingChange> changes, List<TreeChange> described, CancellationToken ct)
    {
        List<PendingChange>? kept = null;
        for (var i = 0; i < changes.Count; i++)
        {
            var quiet = false;
            foreach (var hook in hooks)
            {
                if (await hook.KeepsOutOfFeedAsync(described[i], ct))
                {
                    quiet = true;
                    break;
                }
            }

            if (quiet)
            {
                kept ??= [.. changes.Take(i)];
            }
            else
            {
                kept?.Add(changes[i]);
            }
        }

        return kept ?? changes;
    }

    private sealed class Removal(Action remove) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                remove();
            }
        }
    }
}
