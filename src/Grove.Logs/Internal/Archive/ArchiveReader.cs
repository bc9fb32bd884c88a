using Grove.Logs.Blocks;
using System.Buffers;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.CompilerServices;

namespace Grove.Logs.Internal.Archive;

/// <summary>Reads lines out of an archive by decompressing only the blocks a range touches.</summary>
internal static class ArchiveReader
{
    /// <summary>Lines numbered from <paramref name="from"/> on, at most <paramref name="limit"/>.</summary>
    public static async Task<List<LogLine>> ReadAsync(Stream s, ArchiveIndex index, long from, int limit, LogCounters counters, string what, CancellationToken ct)
    {
        var lines = new List<LogLine>(Math.Min(limit, 4096));
        for (var b = index.FirstBlockFrom(from); b < index.Blocks.Length && lines.Count < limit; b++)
        {
            var raw = await ReadBlockAsync(s, index.Blocks[b], counters, what, ct);
            try
            {
                lines.AddRange(LineBlockReader.ReadAll(raw.AsSpan(0, index.Blocks[b].RawLength), from, limit - lines.Count));
            }
            catch (FormatException e)
            {
                throw LogException.Corrupt($"archive {what}: block {b} is malformed: {e.Message}");
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(raw);
            }
        }

        return lines;
    }

    /// <summary>Every block from the one holding <paramref name="from"/>, decompressed (a pooled array the caller returns).</summary>
    public static async IAsyncEnumerable<(byte[] Raw, int Length)> BlocksAsync(Stream s, ArchiveIndex index, long from, LogCounters counters,
        string what, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var b = index.FirstBlockFrom(from); b < index.Blocks.Length; b++)
        {
            var raw = await ReadBlockAsync(s, index.Blocks[b], counters, what, ct);
            yield return (raw, index.Blocks[b].RawLength);
        }
    }

    /// <summary>Reads, checks and decompresses one block into a pooled array.</summary>
    public static async Task<byte[]> ReadBlockAsync(Stream s, BlockEntry block, LogCounters counters, string what, CancellationToken ct)
    {
        var packed = ArrayPool<byte>.Shared.Rent(block.CompressedLength);
        var raw = ArrayPool<byte>.Shared.Rent(Math.Max(block.RawLength, 1));
        try
        {
            s.Seek(block.Offset, SeekOrigin.Begin);
            await s.ReadExactlyAsync(packed.AsMemory(0, block.CompressedLength), ct);
            if (Crc32.HashToUInt32(packed.AsSpan(0, block.CompressedLength)) != block.Crc)
            {
                throw LogException.Corrupt($"archive {what}: the block at {block.Offset} failed its checksum");
            }

            if (!BrotliDecoder.TryDecompress(packed.AsSpan(0, block.CompressedLength), raw.AsSpan(0, block.RawLength), out var written)
                || written != block.RawLength)
            {
                throw LogException.Corrupt($"archive {what}: the block at {block.Offset} does not decompress to its recorded size");
            }

            Interlocked.Increment(ref counters._blocksDecompressed);
            return raw;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(raw);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(packed);
        }
    }
}
