using System.Buffers.Binary;
using System.IO.Hashing;

namespace Grove.Logs.Internal.Archive;

/// <summary>
/// The archive object: a 16-byte header (<c>GROVELOG</c>, u32 version 1, u32 flags), independently Brotli-compressed
/// blocks (each a line block of about <see cref="LogOptions.ArchiveBlockBytes"/> of text), the block index (40 bytes
/// per block: i64 first line, i64 last line, i64 offset, u32 compressed length, u32 raw length, u32 line count,
/// u32 CRC-32 of the compressed bytes) and a 64-byte footer (i64 index offset, u32 block count, u32 CRC-32 of the
/// index, i64 total lines, i64 bytes received, i64 dropped lines, i64 dropped bytes, i64 lines cut, <c>GROVEEND</c>).
/// All integers little-endian.
/// </summary>
internal static class ArchiveFormat
{
    public const int HeaderBytes = 16;
    public const int EntryBytes = 40;
    public const int FooterBytes = 64;

    public static ReadOnlySpan<byte> Magic => "GROVELOG"u8;

    public static ReadOnlySpan<byte> EndMagic => "GROVEEND"u8;

    public static byte[] Header()
    {
        var h = new byte[HeaderBytes];
        Magic.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(8), 1);
        return h;
    }

    public static void WriteEntry(Span<byte> to, BlockEntry e)
    {
        BinaryPrimitives.WriteInt64LittleEndian(to, e.First);
        BinaryPrimitives.WriteInt64LittleEndian(to[8..], e.Last);
        BinaryPrimitives.WriteInt64LittleEndian(to[16..], e.Offset);
        BinaryPrimitives.WriteInt32LittleEndian(to[24..], e.CompressedLength);
        BinaryPrimitives.WriteInt32LittleEndian(to[28..], e.RawLength);
        BinaryPrimitives.WriteInt32LittleEndian(to[32..], e.Lines);
        BinaryPrimitives.WriteUInt32LittleEndian(to[36..], e.Crc);
    }

    public static BlockEntry ReadEntry(ReadOnlySpan<byte> from) => new(
        BinaryPrimitives.ReadInt64LittleEndian(from),
        BinaryPrimitives.ReadInt64LittleEndian(from[8..]),
        BinaryPrimitives.ReadInt64LittleEndian(from[16..]),
        BinaryPrimitives.ReadInt32LittleEndian(from[24..]),
        BinaryPrimitives.ReadInt32LittleEndian(from[28..]),
        BinaryPrimitives.ReadInt32LittleEndian(from[32..]),
        BinaryPrimitives.ReadUInt32LittleEndian(from[36..]));

    public static byte[] Footer(long indexOffset, int blocks, ReadOnlySpan<byte> index, ArchiveTotals t)
    {
        var f = new byte[FooterBytes];
        var s = f.AsSpan();
        BinaryPrimitives.WriteInt64LittleEndian(s, indexOffset);
        BinaryPrimitives.WriteInt32LittleEndian(s[8..], blocks);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], Crc32.HashToUInt32(index));
        BinaryPrimitives.WriteInt64LittleEndian(s[16..], t.Total);
        BinaryPrimitives.WriteInt64LittleEndian(s[24..], t.Bytes);
        BinaryPrimitives.WriteInt64LittleEndian(s[32..], t.DroppedLines);
        BinaryPrimitives.WriteInt64LittleEndian(s[40..], t.DroppedBytes);
        BinaryPrimitives.WriteInt64LittleEndian(s[48..], t.LinesCut);
        EndMagic.CopyTo(s[56..]);
        return f;
    }
}
