using System.Buffers.Binary;
using System.Text;

namespace Grove.Logs.Blocks;

/// <summary>Reads the lines of one block; throws <see cref="FormatException"/> when it is malformed.</summary>
public ref struct LineBlockReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;
    private int _left;
    private bool _first;
    private long _number;
    private long _time;

    /// <summary>A reader of one block; throws <see cref="FormatException"/> when it is shorter than its header.</summary>
    public LineBlockReader(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4)
        {
            throw new FormatException("line block shorter than its header");
        }

        _data = data;
        _left = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(data), int.MaxValue);
        Count = _left;
        _pos = 4;
        _first = true;
    }

    /// <summary>How many lines the block holds.</summary>
    public int Count { get; }

    /// <summary>The next line; false after the last one.</summary>
    public bool Next(out long number, out long timestamp, out ReadOnlySpan<byte> text)
    {
        if (_left == 0)
        {
            if (_pos != _data.Length)
            {
                throw new FormatException("bytes after the last line of a block");
            }

            number = timestamp = 0;
            text = default;
            return false;
        }

        var delta = Varint.Read(_data, ref _pos);
        var dt = Varint.ReadSigned(_data, ref _pos);
        if (_first)
        {
            _number = checked((long)delta);
            _time = dt;
            _first = false;
        }
        else
        {
            _number = checked(_number + 1 + (long)delta);
            _time += dt;
        }

        var len = Varint.Read(_data, ref _pos);
        if (len > (ulong)(_data.Length - _pos))
        {
            throw new FormatException("line runs past the end of its block");
        }

        text = _data.Slice(_pos, (int)len);
        _pos += (int)len;
        _left--;
        number = _number;
        timestamp = _time;
        return true;
    }

    /// <summary>Decodes every line of a block.</summary>
    public static List<LogLine> ReadAll(ReadOnlySpan<byte> data, long from = 0, int limit = int.MaxValue)
    {
        var reader = new LineBlockReader(data);
        var lines = new List<LogLine>(Math.Min(reader.Count, limit));
        while (reader.Next(out var n, out var t, out var text))
        {
            if (n >= from && lines.Count < limit)
            {
                lines.Add(new LogLine(n, t, Encoding.UTF8.GetString(text)));
            }
        }

        return lines;
    }
}
