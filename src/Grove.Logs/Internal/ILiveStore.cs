namespace Grove.Logs.Internal;

/// <summary>
/// Where lines of running (and finished, not yet archived) tasks live. Every method is atomic per task: an append
/// is stored whole or not at all, and a seal excludes any later append. Implementations: local segment files
/// (<see cref="Local.LocalLiveStore"/>) and PostgreSQL chunks (<see cref="Postgres.PgLiveStore"/>).
/// </summary>
internal interface ILiveStore : IAsyncDisposable
{
    /// <summary>What <see cref="Changed"/> is called with when any task may have changed (after a gap in notifications).</summary>
    const string Everything = "*";

    /// <summary>Called with a task id after its lines or state changed (also for changes made by other nodes).</summary>
    Action<string>? Changed { get; set; }

    /// <summary>Creates the live state of a new task (no-op when it exists).</summary>
    Task CreateAsync(string id, long now, CancellationToken ct);

    /// <summary>The task's state, or null when the store does not hold it.</summary>
    Task<LiveState?> GetStateAsync(string id, CancellationToken ct);

    /// <summary>States of several tasks (missing ones left out).</summary>
    Task<IReadOnlyDictionary<string, LiveState>> GetStatesAsync(IReadOnlyCollection<string> ids, CancellationToken ct);

    /// <summary>Appends consecutive, validated lines (see <see cref="AppendPlan"/> for the rules). Null when the task is not held.</summary>
    Task<AppendPlan?> AppendAsync(string id, IReadOnlyList<LogLine> lines, IReadOnlyList<int>? cut, long now, CancellationToken ct);

    /// <summary>Records activity; false when the task is not held; throws <c>finished</c> when sealed.</summary>
    Task<bool> TouchAsync(string id, long now, CancellationToken ct);

    /// <summary>Seals the task: no line is accepted after. Null when not held; throws <c>finished</c> when already sealed.</summary>
    Task<LiveState?> SealAsync(string id, LogTaskStatus status, int? exitCode, long now, CancellationToken ct);

    /// <summary>Stored lines numbered from <paramref name="from"/> on, at most <paramref name="limit"/>; null when the task is not held.</summary>
    Task<LiveRead?> ReadAsync(string id, long from, int limit, CancellationToken ct);

    /// <summary>Removes the task and its lines (after its archive was verified).</summary>
    Task DeleteAsync(string id, CancellationToken ct);

    /// <summary>Unsealed tasks whose last activity is before <paramref name="cutoff"/>.</summary>
    Task<IReadOnlyList<string>> ListIdleAsync(long cutoff, CancellationToken ct);

    /// <summary>Sealed tasks (waiting to be archived), oldest seal first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> ListSealedAsync(int limit, CancellationToken ct);
}
