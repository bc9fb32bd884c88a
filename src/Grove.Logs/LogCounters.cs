namespace Grove.Logs;

/// <summary>Counters of work done since the service opened, for diagnostics and tests.</summary>
public sealed class LogCounters
{
    internal long _blocksDecompressed;
    internal long _blocksWritten;
    internal long _archived;
    internal long _archiveFailures;
    internal long _linesAppended;

    /// <summary>Archive blocks decompressed to answer reads (random access touches only the blocks a range needs).</summary>
    public long BlocksDecompressed => Interlocked.Read(ref _blocksDecompressed);

    /// <summary>Archive blocks compressed and written.</summary>
    public long BlocksWritten => Interlocked.Read(ref _blocksWritten);

    /// <summary>Tasks archived, verified and removed from the live store.</summary>
    public long Archived => Interlocked.Read(ref _archived);

    /// <summary>Archive attempts that failed (they are retried).</summary>
    public long ArchiveFailures => Interlocked.Read(ref _archiveFailures);

    /// <summary>New lines stored by appends.</summary>
    public long LinesAppended => Interlocked.Read(ref _linesAppended);
}
