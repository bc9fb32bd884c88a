using System.Data.Common;

namespace Grove.Records;

/// <summary>How <see cref="RecordService.InsertManyAsync"/> writes its rows (all in one transaction).</summary>
public sealed record RecordWriteOptions
{
    /// <summary>
    /// Skips a row whose key, or the value of one of the set's unique indexes, is taken — in the main table or in a
    /// history table — and answers null for it, instead of refusing the whole write with <c>duplicate_key</c>.
    /// </summary>
    public bool SkipDuplicates { get; init; }

    /// <summary>The fields answered for each written row (null: every field); the key fields always are.</summary>
    public IReadOnlyList<string>? Returning { get; init; }

    /// <summary>
    /// Runs in the write's transaction after the rows are written and before the commit, on the records engine's
    /// database (<see cref="RecordService.Storage"/>): statements that must commit with the rows, or not at all.
    /// </summary>
    public Func<RecordTransaction, CancellationToken, Task>? AlsoInTransaction { get; init; }
}

/// <summary>The open transaction of a write, for statements that must commit with its rows (<see cref="RecordWriteOptions.AlsoInTransaction"/>).</summary>
/// <param name="Connection">The connection (statements through <c>EngineStorage.Command</c>, parameterized).</param>
/// <param name="Transaction">The transaction the rows were written in.</param>
/// <param name="Written">Each given row as written, or null where it was skipped as a duplicate.</param>
public sealed record RecordTransaction(DbConnection Connection, DbTransaction Transaction, IReadOnlyList<RecordRow?> Written);
