using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using ZstdSharp;

namespace Grove.Messages.Internal;

/// <summary>
/// Compressed originals and documents: Zstandard level 1 (on 6–8 KB messages about 6× cheaper than Brotli
/// quality 5 and smaller than Brotli quality 1; see docs/benchmarks.md). Bodies stored before it are Brotli
/// (window 22, so their first byte is odd) and still read: a Zstandard frame starts with its magic number.
/// </summary>
internal static class BodyCodec
{
    private const uint ZstdMagic = 0xFD2FB528;

    [ThreadStatic]
    private static Compressor? t_compressor;

    [ThreadStatic]
    private static Decompressor? t_decompressor;

    /// <summary>
    /// The stored original of a migrated message whose document is, byte for byte, its original (every legacy field
    /// kept under its own name with its own text): empty, since a compressed body is never empty.
    /// </summary>
    public static readonly byte[] SameAsDocument = [];

    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        var compressor = t_compressor ??= new Compressor(1);
        var rented = ArrayPool<byte>.Shared.Rent(Compressor.GetCompressBound(data.Length));
        try
        {
            var written = compressor.Wrap(data, rented);
            return rented.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Whether the bytes are a Zstandard frame.</summary>
    public static bool IsZstd(byte[] stored) => stored.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(stored) == ZstdMagic;

    public static byte[] Decompress(byte[] stored)
    {
        if (IsZstd(stored))
        {
            return (t_decompressor ??= new Decompressor()).Unwrap(stored).ToArray();
        }

        using var input = new MemoryStream(stored, writable: false);
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(stored.Length * 6);
        brotli.CopyTo(output);
        return output.ToArray();
    }
}
