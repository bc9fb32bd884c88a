namespace Grove.Client;

/// <summary>How <see cref="GroveClientLogs.DownloadLogAsync"/> renders a log as text.</summary>
public sealed record GroveLogTextOptions
{
    /// <summary>Prefix each line with its ISO-8601 UTC time stamp and a space.</summary>
    public bool Timestamps { get; init; }

    /// <summary>The first line number to write.</summary>
    public long From { get; init; }

    /// <summary>Write no line numbered at or past this; null for the whole log.</summary>
    public long? To { get; init; }
}
