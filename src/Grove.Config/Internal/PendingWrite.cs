namespace Grove.Config.Internal;

/// <summary>
/// One write waiting to be committed: its keys, what it reads, how it decides, and where its outcome goes. Several
/// pending writes with disjoint keys are committed together in one store transaction (group commit).
/// </summary>
internal sealed class PendingWrite(IReadOnlyList<ConfigKey> keys, ReadNeeds needs, Func<IReadOnlyDictionary<ConfigKey, KeyState>, IReadOnlyList<Change>> decide)
{
    private const int Queued = 0;
    private const int Taken = 1;
    private const int Abandoned = 2;

    private readonly TaskCompletionSource<IReadOnlyList<AppliedChange>> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    public IReadOnlyList<ConfigKey> Keys { get; } = keys;

    public ReadNeeds Needs { get; } = needs;

    public Func<IReadOnlyDictionary<ConfigKey, KeyState>, IReadOnlyList<Change>> Decide { get; } = decide;

    /// <summary>The changes the last call of <see cref="Decide"/> made (empty when it threw).</summary>
    public IReadOnlyList<Change> Changes { get; set; } = [];

    /// <summary>What the last call of <see cref="Decide"/> threw.</summary>
    public Exception? Refusal { get; set; }

    public Task<IReadOnlyList<AppliedChange>> Outcome => _outcome.Task;

    public bool IsQueued => Volatile.Read(ref _state) == Queued;

    /// <summary>A committer takes the write; false when its caller gave up first.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    /// <summary>The caller gives up (cancelled); false when a committer has taken the write already.</summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued;

    public void Complete(IReadOnlyList<AppliedChange> applied) => _outcome.TrySetResult(applied);

    public void Fail(Exception e) => _outcome.TrySetException(e);
}
