using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Grove.Logs.Internal.Archive;

/// <summary>A 128-bit digest of a sequence of lines (number, time stamp, text), to verify an archive against its source.</summary>
internal sealed class LineDigest
{
    private readonly XxHash128 _hash = new();
    private readonly byte[] _head = new byte[20];

    public long Count { get; private set; }

    public void Add(LogLine line) => Add(line.Number, line.Timestamp, Encoding.UTF8.GetBytes(line.Text));

    public void Add(long number, long timestamp, ReadOnlySpan<byte> text)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_head, number);
        BinaryPrimitives.WriteInt64LittleEndian(_head.AsSpan(8), timestamp);
        BinaryPrimitives.WriteInt32LittleEndian(_head.AsSpan(16), text.Length);
        _hash.Append(_head);
        _hash.Append(text);
        Count++;
    }

    public string Hex() => Convert.ToHexStringLower(_hash.GetCurrentHash());
}
