using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Grove.Logs.Blocks;

namespace Grove.Logs;

/// <summary>
/// The binary batch a client sends to append lines (see docs/logs.md): the magic <c>GLB1</c>, one byte of
/// compression (0 none, 1 Brotli), then a line block — <c>u32 count</c>, then per line a varint number delta, a
/// zig-zag varint time-stamp delta, a varint byte length and the UTF-8 text. Both the client and the server use
/// this type, so neither needs the other.
/// </summary>
public static class LogBatchCodec
{
    /// <summary>The media type of an encoded batch.</summary>
    public const string ContentType = "application/x-grove-log-batch";

    private const int HeaderBytes = 5;
    private static ReadOnlySpan<byte> Magic => "GLB1"u8;

    /// <summary>Encodes lines (consecutive numbers) as a batch, Brotli-compressed unless <paramref name="compress"/> is false.</summary>
    public static byte[] Encode(IReadOnlyList<LogLine> lines, bool compress = true)
    {
        ArgumentNullException.ThrowIfNull(lines);
        using var raw = new ByteBuffer(lines.Count * 64 + 64);
        var writer = new LineBlockWriter(raw);
        foreach (var line in lines)
        {
            writer.Add(line);
        }

        writer.End();
        if (!compress)
        {
            var plain = new byte[HeaderBytes + raw.Length];
            Magic.CopyTo(plain);
            raw.Span.CopyTo(plain.AsSpan(HeaderBytes));
            return plain;
        }

        var bound = BrotliEncoder.GetMaxCompressedLength(raw.Length);
        var packed = ArrayPool<byte>.Shared.Rent(bound + HeaderBytes);
        try
        {
            Magic.CopyTo(packed);
            packed[4] = 1;
            if (!BrotliEncoder.TryCompress(raw.Span, packed.AsSpan(HeaderBytes), out var written, quality: 1, window: 22))
            {
                throw new InvalidOperationException("Brotli could not compress the batch");
            }

            return packed.AsSpan(0, HeaderBytes + written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(packed);
        }
    }

    /// <summary>
    /// Decodes a batch. Fails with <c>invalid_batch</c> when it is malformed and with <c>too_large</c> when it would
    /// decode to more than <paramref name="maxBytes"/> bytes or <paramref name="maxLines"/> lines (checked while
    /// decompressing, so a small body cannot expand without bound).
    /// </summary>
    public static IReadOnlyList<LogLine> Decode(ReadOnlySpan<byte> body, int maxBytes = 16 << 20, int maxLines = 100_000)
    {
        if (body.Length < HeaderBytes || !body[..4].SequenceEqual(Magic))
        {
            throw LogException.Batch("not a log batch: it must start with GLB1 and a compression byte");
        }

        var limit = maxBytes + ((long)maxLines * 24) + 4;
        try
        {
            switch (body[4])
            {
                case 0:
                    return body.Length - HeaderBytes > limit ? throw TooLarge(maxBytes) : Read(body[HeaderBytes..], maxLines);
                case 1:
                    using (var raw = Inflate(body[HeaderBytes..], limit, maxBytes))
                    {
                        return Read(raw.Span, maxLines);
                    }

                default:
                    throw LogException.Batch($"unknown batch compression {body[4]}");
            }
        }
        catch (FormatException e)
        {
            throw LogException.Batch("malformed log batch: " + e.Message);
        }
        catch (OverflowException)
        {
            throw LogException.Batch("malformed log batch: a line number or time stamp is out of range");
        }
    }

    private static List<LogLine> Read(ReadOnlySpan<byte> block, int maxLines)
    {
        if (block.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(block) > (uint)maxLines)
        {
            throw new LogException(LogErrorCode.TooLarge, $"a batch holds at most {maxLines} lines");
        }

        return LineBlockReader.ReadAll(block);
    }

    private static ByteBuffer Inflate(ReadOnlySpan<byte> packed, long limit, int maxBytes)
    {
        var raw = new ByteBuffer(Math.Min(packed.Length * 8, 1 << 20));
        using var decoder = new BrotliDecoder();
        try
        {
            while (true)
            {
                var span = raw.GetSpan(64 * 1024);
                var status = decoder.Decompress(packed, span, out var consumed, out var written);
                packed = packed[consumed..];
                raw.Advance(written);
                if (raw.Length > limit)
                {
                    throw TooLarge(maxBytes);
                }

                switch (status)
                {
                    case OperationStatus.Done:
                        return raw;
                    case OperationStatus.DestinationTooSmall:
                        continue;
                    case OperationStatus.NeedMoreData:
                        throw LogException.Batch("malformed log batch: the compressed data is cut short");
                    default:
                        throw LogException.Batch("malformed log batch: the compressed data is invalid");
                }
            }
        }
        catch
        {
            raw.Dispose();
            throw;
        }
    }

    private static LogException TooLarge(int maxBytes) =>
        new(LogErrorCode.TooLarge, $"a batch decodes to at most {maxBytes} bytes of text");
}
