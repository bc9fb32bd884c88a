namespace Grove.Tree;

/// <summary>What <see cref="TreeService.FsckAsync"/> found and did.</summary>
public sealed record FsckReport
{
    /// <summary>File rows whose content lives in a bucket, checked.</summary>
    public long RowsChecked { get; init; }

    /// <summary>Blob files seen in the buckets.</summary>
    public long BlobsChecked { get; init; }

    /// <summary>Blobs no row references, past the grace period, removed.</summary>
    public long OrphansRemoved { get; init; }

    /// <summary>Blobs no row references yet, still inside the grace period (in-flight writes), left alone.</summary>
    public long OrphansYoung { get; init; }

    /// <summary>Abandoned swap files removed.</summary>
    public long SwapRemoved { get; init; }

    /// <summary>Objects whose content is missing from their bucket: path (or id) and hash.</summary>
    public IReadOnlyList<string> Dangling { get; init; } = [];

    /// <summary>Blobs whose stored reference count disagrees with the rows: <c>bucket/sha: stored → actual</c>.</summary>
    public IReadOnlyList<string> CountMismatches { get; init; } = [];

    /// <summary>Reference counts corrected (with <c>repair</c>).</summary>
    public long CountsRepaired { get; init; }

    /// <summary>True when nothing dangles and every reference count agrees with the rows.</summary>
    public bool Consistent => Dangling.Count == 0 && (CountMismatches.Count == 0 || CountsRepaired == CountMismatches.Count);
}
