using System.Buffers.Binary;
using System.Text;

namespace Grove.Logs.Blocks;

/// <summary>
/// The one encoding of a run of lines, used by the wire batch, live records, PostgreSQL chunks and archive blocks:
/// <c>u32 count</c> (little-endian), then per line <c>varint numberDelta</c> (the first line's number, then the
/// distance past the previous line + 1, 0 when consecutive), <c>zigzag varint timestampDelta</c> (the first line's
/// time stamp, then the difference from the previous one), <c>varint byteLength</c> and the UTF-8 text.
/// </summary>
public sealed class LineBlockWriter
{
    private static readonly UTF8Encoding Utf8 = new(false, false);
    private readonly ByteBuffer _buffer;
    private int _start;
    private long _prevNumber;
    private long _prevTime;

    /// <summary>A writer appending blocks to <paramref name="buffer"/>; the first block is begun.</summary>
    public LineBlockWriter(ByteBuffer buffer)
    {
        _buffer = buffer;
        Begin();
    }

    /// <summary>Lines written since <see cref="Begin"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Text bytes of the lines written since <see cref="Begin"/>.</summary>
    public long TextBytes { get; private set; }

    /// <summary>The number of the block's first line.</summary>
    public long FirstNumber { get; private set; }

    /// <summary>The number of the block's last line so far.</summary>
    public long LastNumber => _prevNumber;

    /// <summary>Bytes of this block so far.</summary>
    public int Size => _buffer.Length - _start;

    /// <summary>Starts a new block at the end of the buffer.</summary>
    public void Begin()
    {
        _start = _buffer.Length;
        _buffer.GetSpan(4).Clear();
        _buffer.Advance(4);
        Count = 0;
        TextBytes = 0;
    }

    /// <summary>Adds a line.</summary>
    public void Add(LogLine line)
    {
        var max = Utf8.GetMaxByteCount(line.Text.Length);
        WriteHead(line.Number, line.Timestamp);
        var span = _buffer.GetSpan(max + Varint.MaxBytes);
        var n = max < 128 ? Utf8.GetBytes(line.Text, span[1..]) : Utf8.GetByteCount(line.Text);
        if (max < 128)
        {
            span[0] = (byte)n;
            _buffer.Advance(n + 1);
        }
        else
        {
            var head = Varint.Write(span, (ulong)n);
            Utf8.GetBytes(line.Text, span[head..]);
            _buffer.Advance(head + n);
        }

        TextBytes += n;
    }

    /// <summary>Adds a line of UTF-8 text.</summary>
    public void Add(long number, long timestamp, ReadOnlySpan<byte> text)
    {
        WriteHead(number, timestamp);
        _buffer.WriteVarint((ulong)text.Length);
        _buffer.Write(text);
        TextBytes += text.Length;
    }

    private void WriteHead(long number, long timestamp)
    {
        if (Count == 0)
        {
            FirstNumber = number;
            _buffer.WriteVarint((ulong)number);
            _buffer.WriteSigned(timestamp);
        }
        else
        {
            _buffer.WriteVarint((ulong)(number - _prevNumber - 1));
            _buffer.WriteSigned(timestamp - _prevTime);
        }

        _prevNumber = number;
        _prevTime = timestamp;
        Count++;
    }

    /// <summary>Writes the count into the block's header; the block is then complete in the buffer.</summary>
    public void End() => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.Array.AsSpan(_start), (uint)Count);
}
