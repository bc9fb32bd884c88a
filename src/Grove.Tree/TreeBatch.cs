namespace Grove.Tree;

/// <summary>
/// Changes to several files of the root index committed by <see cref="TreeService.CommitAsync(TreeBatch, CancellationToken)"/>
/// in one transaction: all of them or none. Every change names the version it expects, so a batch built from what
/// was read fails with <c>conflict</c> (and changes nothing) when any of those files changed meanwhile.
/// </summary>
public sealed class TreeBatch
{
    internal enum OpKind
    {
        Create,
        Replace,
        Delete,
    }

    internal sealed record Op(OpKind Kind, string Path, long Expected, BatchFile? File, string? User, string? ExpectedId = null);

    internal List<Op> Ops { get; } = [];

    internal Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction?, CancellationToken, Task>? Sql { get; private set; }

    internal List<Storage.EngineStatement> Statements { get; } = [];

    /// <summary>How many file changes the batch holds.</summary>
    public int Count => Ops.Count;

    /// <summary>
    /// Runs <paramref name="statements"/> in the same transaction as the batch's files: an engine's own tables
    /// (engine storage) change together with the tree, or nothing does. The root index must be
    /// a SQL store that shares its database with engines (SQLite, PostgreSQL); the commit fails with
    /// <c>not_supported</c> elsewhere. The transaction argument is null where the store runs a plain <c>BEGIN</c> (SQLite).
    /// </summary>
    public TreeBatch WithSql(Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction?, CancellationToken, Task> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        if (Sql is not null)
        {
            throw new InvalidOperationException("a batch carries one block of statements; combine them in one delegate");
        }

        Sql = statements;
        return this;
    }

    /// <summary>
    /// Runs <paramref name="statement"/> in the same transaction as the batch's files, after them and before a
    /// <see cref="WithSql"/> block; statements run in the order added. Same stores as <see cref="WithSql"/>; on
    /// PostgreSQL a batch without a <see cref="WithSql"/> block sends its rows, its statements and its commit in one
    /// round trip. A statement whose <see cref="Storage.EngineStatement.ExpectRows"/> check fails refuses the batch.
    /// </summary>
    public TreeBatch WithStatement(Storage.EngineStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        Statements.Add(statement);
        return this;
    }

    /// <summary>Creates a file (and missing parent directories); the commit fails with <c>already_exists</c> if it exists.</summary>
    public TreeBatch Create(string path, BatchFile file, string? user = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        Ops.Add(new Op(OpKind.Create, TreeNames.Normalize(path), 0, file, user));
        return this;
    }

    /// <summary>
    /// Replaces a file's content, custom metadata and labels, if its version is still <paramref name="expectedVersion"/>
    /// (<c>conflict</c> otherwise, <c>not_found</c> when it is gone).
    /// </summary>
    public TreeBatch Replace(string path, long expectedVersion, BatchFile file, string? user = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        Ops.Add(new Op(OpKind.Replace, TreeNames.Normalize(path), expectedVersion, file, user));
        return this;
    }

    /// <summary>Deletes a file if its version is still <paramref name="expectedVersion"/>.</summary>
    public TreeBatch Delete(string path, long expectedVersion)
    {
        Ops.Add(new Op(OpKind.Delete, TreeNames.Normalize(path), expectedVersion, null, null));
        return this;
    }

    /// <summary>
    /// Deletes the file at <paramref name="path"/> if it is still the object <paramref name="id"/>, whatever its version
    /// (<c>conflict</c> when another object holds the name, <c>not_found</c> when none does): a delete that needs no read
    /// of the file first, such as a queue's ack of the message it claimed.
    /// </summary>
    public TreeBatch DeleteObject(string path, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        Ops.Add(new Op(OpKind.Delete, TreeNames.Normalize(path), -1, null, null, id));
        return this;
    }
}
