using Grove.Logs.Blocks;
using System.Buffers;
using System.IO.Compression;
using System.IO.Hashing;

namespace Grove.Logs.Internal.Archive;

/// <summary>
/// Streams lines into an archive: a block is compressed and written as soon as it holds enough text, so memory is
/// bounded by one block whatever the log's size. Keeps a digest of the lines for verification.
/// </summary>
internal sealed class ArchiveWriter : IDisposable
{
    private readonly Stream _output;
    private readonly int _blockBytes;
    private readonly int _quality;
    private readonly LogCounters _counters;
    private readonly ByteBuffer _raw;
    private readonly LineBlockWriter _block;
    private readonly List<BlockEntry> _entries = [];
    private readonly LineDigest _digest = new();
    private long _position;

    public ArchiveWriter(Stream output, int blockBytes, int quality, LogCounters counters)
    {
        _output = output;
        _blockBytes = blockBytes;
        _quality = quality;
        _counters = counters;
        _raw = new ByteBuffer(blockBytes + (64 * 1024));
        _block = new LineBlockWriter(_raw);
    }

    /// <summary>The digest of every line added.</summary>
    public LineDigest Digest => _digest;

    public long Lines { get; private set; }

    /// <summary>Called after each block is written, with the number of blocks so far (a test hook to simulate crashes).</summary>
    public Action<int>? BlockWritten { get; init; }

    public async Task StartAsync(CancellationToken ct)
    {
        await _output.WriteAsync(ArchiveFormat.Header(), ct);
        _position = ArchiveFormat.HeaderBytes;
    }

    public async Task AddAsync(LogLine line, CancellationToken ct)
    {
        _block.Add(line);
        _digest.Add(line);
        Lines++;
        if (_raw.Length >= _blockBytes)
        {
            await FlushBlockAsync(ct);
        }
    }

    /// <summary>Writes the last block, the index and the footer.</summary>
    public async Task FinishAsync(ArchiveTotals totals, CancellationToken ct)
    {
        if (_block.Count > 0)
        {
            await FlushBlockAsync(ct);
        }

        var index = new byte[_entries.Count * ArchiveFormat.EntryBytes];
        for (var i = 0; i < _entries.Count; i++)
        {
            ArchiveFormat.WriteEntry(index.AsSpan(i * ArchiveFormat.EntryBytes), _entries[i]);
        }

        await _output.WriteAsync(index, ct);
        await _output.WriteAsync(ArchiveFormat.Footer(_position, _entries.Count, index, totals), ct);
    }

    private async Task FlushBlockAsync(CancellationToken ct)
    {
        _block.End();
        var raw = _raw.Memory;
        var packed = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(raw.Length));
        try
        {
            if (!BrotliEncoder.TryCompress(raw.Span, packed, out var written, _quality, 22))
            {
                throw new InvalidOperationException("Brotli could not compress an archive block");
            }

            var crc = Crc32.HashToUInt32(packed.AsSpan(0, written));
            _entries.Add(new BlockEntry(_block.FirstNumber, _block.LastNumber, _position, written, raw.Length, _block.Count, crc));
            await _output.WriteAsync(packed.AsMemory(0, written), ct);
            _position += written;
            Interlocked.Increment(ref _counters._blocksWritten);
            BlockWritten?.Invoke(_entries.Count);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(packed);
        }

        _raw.Clear();
        _block.Begin();
    }

    public void Dispose() => _raw.Dispose();
}
