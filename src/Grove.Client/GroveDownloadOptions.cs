namespace Grove.Client;

/// <summary>How <see cref="GroveClient.OpenReadAsync"/> and <see cref="GroveClient.DownloadAsync"/> read a file.</summary>
public sealed record GroveDownloadOptions
{
    /// <summary>The first byte to read (<c>Range: bytes=From-To</c>); null reads from the start (or the last <see cref="RangeTo"/> bytes when only that is set, as HTTP suffix ranges do).</summary>
    public long? RangeFrom { get; init; }

    /// <summary>The last byte to read, inclusive; null reads to the end.</summary>
    public long? RangeTo { get; init; }

    /// <summary>The SHA-256 of a copy held already (<c>If-None-Match</c>): when it is still current nothing is sent and <see cref="GroveContentInfo.NotModified"/> is true.</summary>
    public string? IfNoneMatch { get; init; }

    /// <summary>Reports the bytes received so far (<see cref="GroveClient.DownloadAsync"/> only).</summary>
    public IProgress<long>? Progress { get; init; }
}
