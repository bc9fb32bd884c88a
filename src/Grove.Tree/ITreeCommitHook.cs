namespace Grove.Tree;

/// <summary>
/// An engine's part in every change of the tree (queue mounts keep their message table in step with the files):
/// called before a change commits, it returns statements to run in the same transaction as the rows when the
/// change is in the root index of a SQL store (else right after the commit), or null. A hook that throws refuses the
/// change. Register with <see cref="TreeService.AddCommitHook"/>.
/// </summary>
public interface ITreeCommitHook
{
    /// <summary>
    /// The statements <paramref name="changes"/> need (their <see cref="TreeChange.Revision"/> is 0 until they
    /// commit), or null. The transaction argument of <see cref="TreeCommitStep.Run"/> is null where the store runs a
    /// plain <c>BEGIN</c> (SQLite). Prefer <see cref="TreeCommitStep.Statements"/>: they ride in the change's own batch.
    /// </summary>
    ValueTask<TreeCommitStep?> BeforeCommitAsync(IReadOnlyList<TreeChange> changes, CancellationToken ct);

    /// <summary>
    /// Whether <paramref name="change"/> is the engine's own state rather than a change of the tree (a queue's
    /// messages come and go): it then stays out of the change feed, so watchers and hooks never see it, and a commit
    /// made only of such changes takes no feed revision (on PostgreSQL: not the feed's lock, so such commits run in
    /// parallel). Default: false.
    /// </summary>
    ValueTask<bool> KeepsOutOfFeedAsync(TreeChange change, CancellationToken ct) => ValueTask.FromResult(false);
}
