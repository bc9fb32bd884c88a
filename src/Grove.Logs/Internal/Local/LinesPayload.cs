using Grove.Logs.Blocks;

namespace Grove.Logs.Internal.Local;

/// <summary>
/// The payload of a lines record: <c>varint linesCut, varint first, varint last - first, varint textBytes</c>, then
/// the line block. The prefix lets recovery index a segment by reading a few bytes per record.
/// </summary>
internal static class LinesPayload
{
    public const int MaxPrefix = 4 * Varint.MaxBytes;

    public static void WritePrefix(ByteBuffer buffer, int cut, long first, long last, long textBytes)
    {
        buffer.WriteVarint((ulong)cut);
        buffer.WriteVarint((ulong)first);
        buffer.WriteVarint((ulong)(last - first));
        buffer.WriteVarint((ulong)textBytes);
    }

    /// <summary>Reads the prefix; <paramref name="pos"/> ends at the line block.</summary>
    public static (int Cut, long First, long Last, long TextBytes) ReadPrefix(ReadOnlySpan<byte> payload, ref int pos)
    {
        var cut = (int)Varint.Read(payload, ref pos);
        var first = checked((long)Varint.Read(payload, ref pos));
        var last = checked(first + (long)Varint.Read(payload, ref pos));
        var bytes = checked((long)Varint.Read(payload, ref pos));
        return (cut, first, last, bytes);
    }
}
