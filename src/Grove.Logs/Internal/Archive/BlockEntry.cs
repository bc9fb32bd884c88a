namespace Grove.Logs.Internal.Archive;

/// <summary>One block of an archive, as its index describes it.</summary>
internal readonly record struct BlockEntry(long First, long Last, long Offset, int CompressedLength, int RawLength, int Lines, uint Crc);
