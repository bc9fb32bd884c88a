using System.Text.Json;
using Grove.Client.Internal;

namespace Grove.Client;

/// <summary>What the server's consistency check found and did (<c>POST /api/v1/admin/fsck</c>).</summary>
public sealed record GroveFsckReport
{
    /// <summary>True when nothing dangles and every reference count agrees with the rows.</summary>
    public bool Consistent { get; init; }

    /// <summary>File rows whose content lives in a bucket, checked.</summary>
    public long RowsChecked { get; init; }

    /// <summary>Blobs seen in the buckets.</summary>
    public long BlobsChecked { get; init; }

    /// <summary>Unreferenced blobs past the grace period, removed.</summary>
    public long OrphansRemoved { get; init; }

    /// <summary>Unreferenced blobs still inside the grace period (in-flight writes), left alone.</summary>
    public long OrphansYoung { get; init; }

    /// <summary>Abandoned swap files removed.</summary>
    public long SwapRemoved { get; init; }

    /// <summary>Reference counts corrected (with repair).</summary>
    public long CountsRepaired { get; init; }

    /// <summary>Objects whose content is missing: path (or id) and hash.</summary>
    public IReadOnlyList<string> Dangling { get; init; } = [];

    /// <summary>Blobs whose stored reference count disagrees with the rows.</summary>
    public IReadOnlyList<string> CountMismatches { get; init; } = [];

    internal static GroveFsckReport FromJson(JsonElement e) => new()
    {
        Consistent = Wire.Bool(e, "consistent"),
        RowsChecked = Wire.Long(e, "rowsChecked"),
        BlobsChecked = Wire.Long(e, "blobsChecked"),
        OrphansRemoved = Wire.Long(e, "orphansRemoved"),
        OrphansYoung = Wire.Long(e, "orphansYoung"),
        SwapRemoved = Wire.Long(e, "swapRemoved"),
        CountsRepaired = Wire.Long(e, "countsRepaired"),
        Dangling = Wire.Strings(e, "dangling"),
        CountMismatches = Wire.Strings(e, "countMismatches"),
    };
}
