using System.Buffers;

namespace Grove.Logs.Internal;

/// <summary>A growable byte buffer over pooled arrays, for building records and blocks without copies.</summary>
internal sealed class ByteBuffer : IDisposable
{
    private byte[] _array;

    public ByteBuffer(int capacity = 4096) => _array = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

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

    public void Advance(int count) => Length += count;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Length += bytes.Length;
    }

    public void WriteVarint(ulong value) => Length += Varint.Write(GetSpan(Varint.MaxBytes), value);

    public void WriteSigned(long value) => Length += Varint.WriteSigned(GetSpan(Varint.MaxBytes), value);

    public void Clear() => Length = 0;

    /// <summary>Drops everything past <paramref name="length"/>.</summary>
    public void Truncate(int length) => Length = length;

    public void Dispose()
    {
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }
}
