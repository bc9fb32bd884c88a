namespace Grove.Logs.Internal.Archive;

/// <summary>The counts an archive's footer records.</summary>
internal sealed record ArchiveTotals(long Total, long Bytes, long DroppedLines, long DroppedBytes, long LinesCut);
