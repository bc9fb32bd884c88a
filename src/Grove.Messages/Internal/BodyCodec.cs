using System.IO.Compression;

namespace Grove.Messages.Internal;

/// <summary>The original body as stored: Brotli (quality 5: text shrinks 4–8×, about 100 MB/s per core).</summary>
internal static class BodyCodec
{
    /// <summary>
    /// The stored original of a migrated message whose document is, byte for byte, its original (every legacy field
    /// kept under its own name with its own text): empty, since a compressed body is never empty.
    /// </summary>
    public static readonly byte[] SameAsDocument = [];

    public static byte[] Compress(ReadOnlySpan<byte> body)
    {
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(body.Length)];
        if (!BrotliEncoder.TryCompress(body, buffer, out var written, 5, 22))
        {
            throw new InvalidOperationException("brotli could not compress the body");
        }

        return buffer.AsSpan(0, written).ToArray();
    }

    public static byte[] Decompress(byte[] stored)
    {
        using var input = new MemoryStream(stored, writable: false);
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(stored.Length * 6);
        brotli.CopyTo(output);
        return output.ToArray();
    }
}
