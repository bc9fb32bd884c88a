using Grove.Logs.Blocks;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Grove.Logs.Internal.Local;

/// <summary>
/// The live segment file: a 32-byte header (<c>GROVESEG</c>, u32 version 1, u32 zone 0 head / 1 tail, i64 the line
/// where the head ended, 8 reserved) then records, each <c>u32 payload length, u32 CRC-32 of type and payload,
/// u8 type, payload</c> (little-endian). Types: 1 lines (varint lines cut, then a line block), 2 seal (u8 status,
/// u8 has-exit, i32 exit code, i64 time), 3 drop (i64 first kept tail line, i64 dropped bytes so far). A torn tail —
/// a length past the end of the file or a checksum mismatch — is cut on recovery.
/// </summary>
internal static class SegmentFormat
{
    public const int HeaderBytes = 32;
    public const int RecordHeaderBytes = 9;
    public const byte Lines = 1;
    public const byte Seal = 2;
    public const byte Drop = 3;

    /// <summary>Records larger than this are damage, not data.</summary>
    public const int MaxPayload = 256 << 20;

    private static ReadOnlySpan<byte> Magic => "GROVESEG"u8;

    public static byte[] Header(bool tail, long headEnd)
    {
        var h = new byte[HeaderBytes];
        Magic.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(12), tail ? 1u : 0u);
        BinaryPrimitives.WriteInt64LittleEndian(h.AsSpan(16), headEnd);
        return h;
    }

    /// <summary>Parses a header: (tail, headEnd), or null when it is not a segment header.</summary>
    public static (bool Tail, long HeadEnd)? ParseHeader(ReadOnlySpan<byte> h)
    {
        if (h.Length < HeaderBytes || !h[..8].SequenceEqual(Magic) || BinaryPrimitives.ReadUInt32LittleEndian(h[8..]) != 1)
        {
            return null;
        }

        return (BinaryPrimitives.ReadUInt32LittleEndian(h[12..]) == 1, BinaryPrimitives.ReadInt64LittleEndian(h[16..]));
    }

    /// <summary>Reserves a record header at the end of <paramref name="buffer"/>; returns its position for <see cref="EndRecord"/>.</summary>
    public static int BeginRecord(ByteBuffer buffer, byte type)
    {
        var at = buffer.Length;
        var span = buffer.GetSpan(RecordHeaderBytes);
        span[..8].Clear();
        span[8] = type;
        buffer.Advance(RecordHeaderBytes);
        return at;
    }

    /// <summary>Fills in the length and checksum of the record begun at <paramref name="at"/>.</summary>
    public static void EndRecord(ByteBuffer buffer, int at)
    {
        var record = buffer.Array.AsSpan(at, buffer.Length - at);
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(record.Length - RecordHeaderBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32.HashToUInt32(record[8..]));
    }

    /// <summary>Checks a whole record (header included) and returns its type and payload.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> record, out byte type, out ReadOnlySpan<byte> payload)
    {
        type = 0;
        payload = default;
        if (record.Length < RecordHeaderBytes)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(record);
        if (length != record.Length - RecordHeaderBytes || Crc32.HashToUInt32(record[8..]) != BinaryPrimitives.ReadUInt32LittleEndian(record[4..]))
        {
            return false;
        }

        type = record[8];
        payload = record[RecordHeaderBytes..];
        return true;
    }

    public static int PayloadLength(ReadOnlySpan<byte> recordHeader) => (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(recordHeader), int.MaxValue);
}
