using System.Data.Common;
using Grove.Tree.Storage;

namespace Grove.Tree;

/// <summary>
/// What a commit hook (<see cref="ITreeCommitHook"/>) adds to a change: statements sent with the change's rows (in
/// their batch on PostgreSQL), then code given the transaction's connection. Where the change is not in the root index
/// of a SQL store, both run just after the commit, in a transaction of their own.
/// </summary>
public sealed class TreeCommitStep
{
    /// <summary>Statements run in the change's transaction after its rows, in order.</summary>
    public List<EngineStatement> Statements { get; } = [];

    /// <summary>Code run in the change's transaction after <see cref="Statements"/> (costs round trips of its own), or null.</summary>
    public Func<DbConnection, DbTransaction?, CancellationToken, Task>? Run { get; set; }

    /// <summary>Whether the step does nothing.</summary>
    public bool IsEmpty => Statements.Count == 0 && Run is null;
}
