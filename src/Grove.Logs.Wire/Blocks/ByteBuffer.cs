using System.Buffers;

namespace Grove.Logs.Blocks;

/// <summary>A growable byte buffer over pooled arrays, for building records and blocks without copies.</summary>
public sealed class ByteBuffer : IDisposable
{
    private byte[] _array;

    /// <summary>A buffer with room for at least <paramref name="capacity"/> bytes.</summary>
    public ByteBuffer(int capacity = 4096) => _array = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>The bytes written.</summary>
    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    /// <summary>The bytes written.</summary>
    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    /// <summary>The underlying array (longer than <see cref="Length"/>).</summary>
    public byte[] Array => _array;

    /// <summary>Room for at least <paramref name="size"/> more bytes at the end.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (Length + size > _array.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, Length + size));
            _array.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = bigger;
        }

        return _array.AsSpan(Length);
    }

    /// <summary>Counts <paramref name="count"/> bytes written into the span of <see cref="GetSpan"/>.</summary>
    public void Advance(int count) => Length += count;

    /// <summary>Appends bytes.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Length += bytes.Length;
    }

    /// <summary>Appends an unsigned varint.</summary>
    public void WriteVarint(ulong value) => Length += Varint.Write(GetSpan(Varint.MaxBytes), value);

    /// <summary>Appends a zig-zag signed varint.</summary>
    public void WriteSigned(long value) => Length += Varint.WriteSigned(GetSpan(Varint.MaxBytes), value);

    /// <summary>Empties the buffer, keeping its array.</summary>
    public void Clear() => Length = 0;

    /// <summary>Drops everything past <paramref name="length"/>.</summary>
    public void Truncate(int length) => Length = length;

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose()
    {
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }
}
