namespace Grove.Tree.Storage;

/// <summary>What an <see cref="IIndexer"/> can do. The kernel consults these flags instead of asking for a kind.</summary>
[Flags]
public enum IndexerCapabilities
{
    /// <summary>Nothing beyond rows by id, by (parent, name) and listing.</summary>
    None = 0,

    /// <summary>Rows hold custom metadata keys and labels.</summary>
    CustomMeta = 1 << 0,

    /// <summary>The indexer answers <see cref="IIndexer.QueryAsync"/> (filters, sorts, keyset cursors).</summary>
    Queries = 1 << 1,

    /// <summary>Listing after a name costs what the first page costs (a keyset on (parent, name)).</summary>
    KeysetListing = 1 << 2,

    /// <summary>A <see cref="ChangeSet"/> of several rows and reference counts applies all or nothing.</summary>
    Transactions = 1 << 3,

    /// <summary>Other processes may change the rows (several nodes share the index): caches follow the cluster bus.</summary>
    SharedAcrossProcesses = 1 << 4,

    /// <summary>Small files may live inside the row (<see cref="TreeObject.Inline"/>).</summary>
    InlineContent = 1 << 5,

    /// <summary>
    /// An update is refused when the stored version differs, and inline content it was not given is kept: a cached
    /// row may be offered as the current one on a first attempt.
    /// </summary>
    VersionedUpdates = 1 << 6,

    /// <summary>
    /// Rows are the real entries of a folder: ids are relative paths (a move changes the id), content lives at the
    /// path in the mount's own bucket, and no reference counts are kept.
    /// </summary>
    PathAddressed = 1 << 7,

    /// <summary><see cref="IIndexer.EnsureIndexAsync"/> creates real indexes on custom keys.</summary>
    ExpressionIndexes = 1 << 8,

    /// <summary>
    /// The index is a SQL database that runs <see cref="ChangeSet.Sql"/> inside its transaction: engines' tables in
    /// the same database change together with the tree.
    /// </summary>
    SqlStatements = 1 << 9,

    /// <summary>
    /// Rows also change outside the tree (an engine's own API writes them, as the records engine does for <c>dao</c>
    /// mounts), where the tree hears nothing: the tree's hot-object cache never keeps them.
    /// </summary>
    ChangedOutside = 1 << 10,

    /// <summary>
    /// The indexer applies <see cref="ChangeSet.UnreadDeletes"/>: a file deleted by its id and place, its checks and
    /// the release of its content's reference done in the database, so nobody reads the row first.
    /// </summary>
    UnreadDeletes = 1 << 11,
}
