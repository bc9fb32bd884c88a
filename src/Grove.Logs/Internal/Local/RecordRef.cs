namespace Grove.Logs.Internal.Local;

/// <summary>Where one lines record is: the sparse line index of a live task has one entry per record.</summary>
/// <param name="First">The first line number in the record.</param>
/// <param name="Last">The last line number in the record.</param>
/// <param name="Segment">The segment holding it.</param>
/// <param name="Offset">The record's byte offset in the segment (at its header).</param>
/// <param name="Length">The record's length, header included.</param>
internal readonly record struct RecordRef(long First, long Last, LocalSegment Segment, long Offset, int Length);
