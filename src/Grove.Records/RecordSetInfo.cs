namespace Grove.Records;

/// <summary>A record set's definition and its physical tables.</summary>
/// <param name="Name">The set's name.</param>
/// <param name="Mapping">The mapping in force.</param>
/// <param name="Revision">1 at definition, +1 at every change.</param>
/// <param name="Tables">Main table(s) first, then history tables newest first.</param>
public sealed record RecordSetInfo(string Name, RecordMapping Mapping, long Revision, IReadOnlyList<RecordTableInfo> Tables);

/// <summary>A record set's tables with their live row counts, and the hot cache's counters.</summary>
/// <param name="Name">The set's name.</param>
/// <param name="Tables">Each table with its rows now.</param>
/// <param name="CacheHits">Hot-cache hits since open (all sets).</param>
/// <param name="CacheMisses">Hot-cache misses since open (all sets).</param>
/// <param name="CacheRows">Rows in the hot cache (all sets).</param>
/// <param name="Rotation">The last rotation this node ran for the set, or null.</param>
public sealed record RecordSetStats(string Name, IReadOnlyList<RecordTableStats> Tables, long CacheHits, long CacheMisses, int CacheRows, RotationResult? Rotation)
{
    /// <summary>Hits over lookups, 0 when there were none.</summary>
    public double CacheHitRate => CacheHits + CacheMisses == 0 ? 0 : (double)CacheHits / (CacheHits + CacheMisses);
}

/// <summary>One table of a record set with its live row count.</summary>
/// <param name="Name">The table.</param>
/// <param name="Kind">Main or history.</param>
/// <param name="Seq">History number; 0 for main.</param>
/// <param name="Rows">Rows now.</param>
public sealed record RecordTableStats(string Name, RecordTableKind Kind, int Seq, long Rows);

/// <summary>What a rotation did.</summary>
/// <param name="Moved">Rows moved from the main table to history tables.</param>
/// <param name="TablesCreated">History tables started.</param>
/// <param name="TablesDropped">History tables dropped by retention.</param>
/// <param name="Complete">True when the main table holds at most mainRows rows now.</param>
/// <param name="Finished">When it ended (Unix milliseconds).</param>
public sealed record RotationResult(long Moved, int TablesCreated, int TablesDropped, bool Complete, long Finished);
