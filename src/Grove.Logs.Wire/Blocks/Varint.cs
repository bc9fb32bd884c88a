namespace Grove.Logs.Blocks;

/// <summary>LEB128 unsigned varints and zig-zag signed ones, as in protobuf.</summary>
public static class Varint
{
    /// <summary>The longest varint, in bytes.</summary>
    public const int MaxBytes = 10;

    /// <summary>Writes an unsigned varint; returns its length.</summary>
    public static int Write(Span<byte> to, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            to[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        to[i++] = (byte)value;
        return i;
    }

    /// <summary>Writes a zig-zag signed varint; returns its length.</summary>
    public static int WriteSigned(Span<byte> to, long value) => Write(to, (ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Reads a varint at <paramref name="pos"/>, advancing it; throws <see cref="FormatException"/> when malformed or cut.</summary>
    public static ulong Read(ReadOnlySpan<byte> from, ref int pos)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (pos >= from.Length)
            {
                throw new FormatException("varint cut short");
            }

            var b = from[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("varint too long");
    }

    /// <summary>Reads a zig-zag signed varint at <paramref name="pos"/>, advancing it.</summary>
    public static long ReadSigned(ReadOnlySpan<byte> from, ref int pos)
    {
        var v = Read(from, ref pos);
        return (long)(v >> 1) ^ -(long)(v & 1);
    }
}
