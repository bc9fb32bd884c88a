using System.Data.Common;

namespace Grove.Tree.Storage;

/// <summary>
/// One parameterized statement on an engine's own tables that rides in a tree change's transaction
/// (<see cref="TreeBatch.WithStatement"/>, <see cref="TreeCommitStep.Statements"/>). Unlike a block of code, it can be
/// sent with the change's rows and its commit in one batch: on PostgreSQL a change made only of rows and such
/// statements costs one round trip.
/// </summary>
public sealed class EngineStatement
{
    /// <summary>A statement with named parameters (written <c>@name</c> in <paramref name="sql"/>).</summary>
    public EngineStatement(string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        Sql = sql;
        Parameters = parameters ?? [];
    }

    /// <summary>The statement: an INSERT, UPDATE or DELETE; it returns no rows unless <see cref="Returned"/> is set.</summary>
    public string Sql { get; }

    /// <summary>The parameters' names (without <c>@</c>) and values.</summary>
    public IReadOnlyList<(string Name, object? Value)> Parameters { get; }

    /// <summary>
    /// When set, the statement (without RETURNING) must change exactly this many rows, else the whole change is refused
    /// with the exception <see cref="Refusal"/> makes (<c>conflict</c> when none) and changes nothing. The check is
    /// made by the database inside the transaction, so no round trip waits for it.
    /// </summary>
    public int? ExpectRows { get; init; }

    /// <summary>The exception a failed <see cref="ExpectRows"/> check raises.</summary>
    public Func<Exception>? Refusal { get; init; }

    /// <summary>
    /// When set, the statement returns a row (<c>RETURNING x</c>) and this receives its first column once the change
    /// is committed (SQLite: once the statement ran). Not together with <see cref="ExpectRows"/>.
    /// </summary>
    public Action<object>? Returned { get; init; }

    /// <summary>The exception for a failed <see cref="ExpectRows"/> check.</summary>
    internal Exception Refuse() =>
        Refusal?.Invoke() ?? new TreeException(TreeErrorCode.Conflict, "a statement of the change found its rows changed");

    /// <summary>Runs the statement on its own in the change's transaction (stores that do not batch it).</summary>
    internal async Task RunAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        await using var cmd = EngineStorage.Command(connection, tx, Sql);
        foreach (var (name, value) in Parameters)
        {
            EngineStorage.Parameter(cmd, name, value);
        }

        if (Returned is { } returned)
        {
            if (await cmd.ExecuteScalarAsync(ct) is { } value and not DBNull)
            {
                returned(value);
            }

            return;
        }

        var changed = await cmd.ExecuteNonQueryAsync(ct);
        if (ExpectRows is { } expected && changed != expected)
        {
            throw new StatementRefusedException(Refuse());
        }
    }
}

/// <summary>Carries a statement's refusal through a store that wraps what its transaction throws; unwrapped before the caller sees it.</summary>
internal sealed class StatementRefusedException(Exception refusal) : Exception(refusal.Message, refusal)
{
    public Exception Refusal { get; } = refusal;
}
