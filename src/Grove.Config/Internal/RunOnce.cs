namespace Grove.Config.Internal;

/// <summary>Keeps a periodic job from running twice at once.</summary>
internal sealed class RunOnce
{
    private int _running;

    public bool TryEnter() => Interlocked.Exchange(ref _running, 1) == 0;

    public void Exit() => Volatile.Write(ref _running, 0);
}
