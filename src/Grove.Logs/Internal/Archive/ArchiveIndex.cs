using System.Buffers.Binary;
using System.IO.Hashing;

namespace Grove.Logs.Internal.Archive;

/// <summary>An archive's footer and block index, read once and cached.</summary>
internal sealed class ArchiveIndex(BlockEntry[] blocks, ArchiveTotals totals)
{
    public BlockEntry[] Blocks { get; } = blocks;

    public ArchiveTotals Totals { get; } = totals;

    /// <summary>Lines stored (the dropped ones are not, the truncation marker is).</summary>
    public long StoredLines => Blocks.Sum(b => (long)b.Lines);

    /// <summary>The first block holding a line numbered <paramref name="from"/> or later.</summary>
    public int FirstBlockFrom(long from)
    {
        int lo = 0, hi = Blocks.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Blocks[mid].Last < from)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Reads the footer and index from the end of a seekable archive stream.</summary>
    public static async Task<ArchiveIndex> ReadAsync(Stream s, string what, CancellationToken ct)
    {
        var length = s.Length;
        if (length < ArchiveFormat.HeaderBytes + ArchiveFormat.FooterBytes)
        {
            throw LogException.Corrupt($"archive {what} is too short to be one");
        }

        var footer = new byte[ArchiveFormat.FooterBytes];
        s.Seek(length - footer.Length, SeekOrigin.Begin);
        await s.ReadExactlyAsync(footer, ct);
        if (!footer.AsSpan(56).SequenceEqual(ArchiveFormat.EndMagic))
        {
            throw LogException.Corrupt($"archive {what} has no footer");
        }

        var indexOffset = BinaryPrimitives.ReadInt64LittleEndian(footer);
        var count = BinaryPrimitives.ReadInt32LittleEndian(footer.AsSpan(8));
        if (count < 0 || indexOffset < ArchiveFormat.HeaderBytes || indexOffset + ((long)count * ArchiveFormat.EntryBytes) != length - footer.Length)
        {
            throw LogException.Corrupt($"archive {what} has a damaged footer");
        }

        var index = new byte[count * ArchiveFormat.EntryBytes];
        s.Seek(indexOffset, SeekOrigin.Begin);
        await s.ReadExactlyAsync(index, ct);
        if (Crc32.HashToUInt32(index) != BinaryPrimitives.ReadUInt32LittleEndian(footer.AsSpan(12)))
        {
            throw LogException.Corrupt($"archive {what} has a damaged block index");
        }

        var blocks = new BlockEntry[count];
        for (var i = 0; i < count; i++)
        {
            blocks[i] = ArchiveFormat.ReadEntry(index.AsSpan(i * ArchiveFormat.EntryBytes));
        }

        var f = footer.AsSpan();
        var totals = new ArchiveTotals(
            BinaryPrimitives.ReadInt64LittleEndian(f[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(f[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(f[32..]),
            BinaryPrimitives.ReadInt64LittleEndian(f[40..]),
            BinaryPrimitives.ReadInt64LittleEndian(f[48..]));
        return new ArchiveIndex(blocks, totals);
    }
}
