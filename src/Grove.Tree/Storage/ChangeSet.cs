using System.Data.Common;

namespace Grove.Tree.Storage;

/// <summary>
/// Everything one tree operation changes in an index, applied atomically by <see cref="IIndexer.CommitAsync"/>:
/// object rows and blob reference counts move together, so a crash never leaves a count that disagrees with the rows.
/// </summary>
public sealed class ChangeSet
{
    /// <summary>New rows.</summary>
    public List<TreeObject> Inserts { get; } = [];

    /// <summary>Rows replaced whole; each applies only if the stored version is still <c>Expected</c>.</summary>
    public List<(TreeObject Row, long Expected)> Updates { get; } = [];

    /// <summary>Rows deleted; each applies only if the stored version is still <c>Expected</c>.</summary>
    public List<(string Id, long Expected)> Deletes { get; } = [];

    /// <summary>
    /// Files deleted without their rows read first (indexers with <see cref="IndexerCapabilities.UnreadDeletes"/>
    /// only): each applies only if the id is still a file at that place, not held by a write handle live at
    /// <c>Now</c>, and releases its content's reference (when not inline) itself.
    /// </summary>
    public List<UnreadDelete> UnreadDeletes { get; } = [];

    /// <summary>Reference-count changes of content-addressed blobs.</summary>
    public List<RefDelta> Refs { get; } = [];

    /// <summary>
    /// The change moves or removes a directory or changes a mount, so other nodes must drop every cached path, not
    /// just the rows named here.
    /// </summary>
    public bool Structural { get; set; }

    /// <summary>
    /// Ids of rows no node ever caches (the children of a queue directory): their updates and deletes need no notice
    /// to other nodes' caches. A PostgreSQL NOTIFY holds a database-wide lock through its transaction's commit, so
    /// every notifying commit waits for the one before it to flush; a queue's acks must not.
    /// </summary>
    public HashSet<string> Unannounced { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Statements run inside the same transaction after the rows (SQL indexers only; others refuse a set that has
    /// them): an engine's own tables changing together with the tree (<see cref="TreeBatch.WithSql"/>), or an
    /// indexer's maintenance. The transaction argument is null where the indexer runs a plain <c>BEGIN</c> (SQLite).
    /// </summary>
    public Func<DbConnection, DbTransaction?, CancellationToken, Task>? Sql { get; set; }

    /// <summary>
    /// Statements on an engine's tables run inside the same transaction after the rows and before <see cref="Sql"/>
    /// (SQL indexers only, like <see cref="Sql"/>). PostgreSQL sends them in the rows' batch; a set without
    /// <see cref="Sql"/> goes with its commit in that one batch.
    /// </summary>
    public List<EngineStatement> Statements { get; } = [];

    /// <summary>
    /// The change feed's entry of this set, for an indexer that implements <see cref="IPendingFeed"/> (null for others):
    /// it stores it in the same atomic step as the rows and hands it back through <see cref="IPendingFeed.PendingAsync"/>.
    /// </summary>
    public FeedEntry? Feed { get; set; }

    /// <summary>Whether the set runs SQL of an engine (<see cref="Sql"/> or <see cref="Statements"/>).</summary>
    public bool HasSql => Sql is not null || Statements.Count > 0;

    /// <summary>Whether the set changes nothing.</summary>
    public bool IsEmpty => Inserts.Count == 0 && Updates.Count == 0 && Deletes.Count == 0 && UnreadDeletes.Count == 0 && Refs.Count == 0 && !HasSql;

    /// <summary>Adds a new row.</summary>
    public ChangeSet Insert(TreeObject o)
    {
        Inserts.Add(o);
        return this;
    }

    /// <summary>Replaces a row if its stored version is <paramref name="expected"/>.</summary>
    public ChangeSet Update(TreeObject o, long expected)
    {
        Updates.Add((o, expected));
        return this;
    }

    /// <summary>Deletes a row if its stored version is <paramref name="expected"/>.</summary>
    public ChangeSet Delete(string id, long expected)
    {
        Deletes.Add((id, expected));
        return this;
    }

    /// <summary>Changes a blob's reference count.</summary>
    public ChangeSet Ref(string bucket, string sha256, long length, int delta)
    {
        Refs.Add(new RefDelta(bucket, sha256, length, delta));
        return this;
    }
}

/// <summary>A file deleted by id and place, unread (see <see cref="ChangeSet.UnreadDeletes"/>).</summary>
/// <param name="Id">The row's id.</param>
/// <param name="ParentId">Its parent's id, as the delete expects it.</param>
/// <param name="Name">Its name, as the delete expects it.</param>
/// <param name="Now">The time a write handle's lease is compared with (Unix ms).</param>
public readonly record struct UnreadDelete(string Id, string ParentId, string Name, long Now);

/// <summary>A change of one blob's reference count.</summary>
/// <param name="Bucket">The bucket's name as stored in <c>bk</c> (<c>""</c> for the default bucket).</param>
/// <param name="Sha256">The blob's content address.</param>
/// <param name="Length">The blob's length in bytes.</param>
/// <param name="Delta">How many references are added (negative: released).</param>
public readonly record struct RefDelta(string Bucket, string Sha256, long Length, int Delta);

/// <summary>A blob's row in the reference table. <c>ZeroSince</c> is set when the count fell to zero.</summary>
/// <param name="Bucket">The bucket's name.</param>
/// <param name="Sha256">The content address.</param>
/// <param name="Length">The length in bytes.</param>
/// <param name="Refs">How many rows reference it.</param>
/// <param name="ZeroSince">When the count fell to zero (Unix ms), or null while referenced.</param>
public sealed record BlobRow(string Bucket, string Sha256, long Length, long Refs, long? ZeroSince);
