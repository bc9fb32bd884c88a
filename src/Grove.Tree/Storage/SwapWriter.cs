using System.Buffers;
using System.Security.Cryptography;

namespace Grove.Tree.Storage;

/// <summary>
/// Receives new content. Small content stays in memory; past the spill size it goes to a swap file. The SHA-256 is
/// computed while the bytes stream in, overlapped with the disk write, so content is never read a second time
/// unless a handle seeks back and rewrites what was already hashed.
/// </summary>
public sealed class SwapWriter : Stream
{
    private readonly Func<string> _swapPathFactory;
    private readonly int _spillAt;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private MemoryStream? _memory = new();
    private FileStream? _file;
    private long _position;
    private long _length;
    private long _hashedUpTo;
    private bool _hashDirty;
    private string? _sha256;
    private Task? _pending;
    private byte[]? _owned;
    private long _unflushed;

    /// <summary>A writer that spills past <paramref name="spillAt"/> bytes to the file <paramref name="swapPathFactory"/> names.</summary>
    public SwapWriter(Func<string> swapPathFactory, int spillAt)
    {
        _swapPathFactory = swapPathFactory;
        _spillAt = Math.Max(spillAt, 0);
    }

    /// <summary>The swap file, once content spilled to disk.</summary>
    public string? SwapPath { get; private set; }

    /// <summary>Set by a bucket that moved the swap file into place, so disposal does not delete it.</summary>
    public bool Adopted { get; set; }

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => true;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => _length;

    /// <inheritdoc/>
    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>The content when it never left memory, else null.</summary>
    public byte[]? InMemory => SwapPath is null ? _memory!.ToArray() : null;

    /// <inheritdoc/>
    public override void Flush() => _file?.Flush();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return target;
    }

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer) =>
        WriteAsync(buffer.ToArray()).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_sha256 is not null, this);
        if (buffer.IsEmpty)
        {
            return;
        }

        var sequential = _position == _length && _hashedUpTo == _length && !_hashDirty;
        if (_file is null && _position + buffer.Length > _spillAt)
        {
            await SpillAsync(cancellationToken);
        }

        if (_file is null)
        {
            _memory!.Position = _position;
            _memory.Write(buffer.Span);
            Hash(buffer.Span, sequential);
        }
        else
        {
            // Note that one write stays in flight on the thread pool while the caller reads and hashes the next
            // chunk, so a big put keeps both cores and the disk busy. The bytes are copied first: the caller reuses
            // its buffer as soon as this returns.
            Hash(buffer.Span, sequential);
            await WaitPendingAsync();
            if (_owned is null || _owned.Length < buffer.Length)
            {
                // Note that the buffer is pooled and handed back when the write ends: a batch keeps thousands of
                // finished writers until it commits, and each holding its own 1 MiB cost 500 MB (issue 12, defect 4).
                ReturnOwned();
                _owned = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length, 1 << 20));
            }

            buffer.CopyTo(_owned);
            _pending = RandomAccess.WriteAsync(_file.SafeFileHandle, _owned.AsMemory(0, buffer.Length), _position, cancellationToken).AsTask();
            _unflushed += buffer.Length;
            if (_unflushed >= FlushEvery)
            {
                // Note that this starts write-back of what is written so far without waiting for it, so the fsync
                // at the end has little left to do.
                Durability.StartWriteBack(_file.SafeFileHandle, _position + buffer.Length - _unflushed, _unflushed);
                _unflushed = 0;
            }
        }

        _position += buffer.Length;
        _length = Math.Max(_length, _position);
    }

    private const int FlushEvery = 64 << 20;

    private void ReturnOwned()
    {
        if (_owned is { } owned)
        {
            _owned = null;
            ArrayPool<byte>.Shared.Return(owned);
        }
    }

    private async ValueTask WaitPendingAsync()
    {
        if (_pending is { } p)
        {
            _pending = null;
            await p;
        }
    }


    private void Hash(ReadOnlySpan<byte> data, bool sequential)
    {
        if (sequential)
        {
            _hash.AppendData(data);
            _hashedUpTo += data.Length;
        }
        else
        {
            _hashDirty = true;
        }
    }

    private async ValueTask SpillAsync(CancellationToken ct)
    {
        SwapPath = _swapPathFactory();
        _file = new FileStream(SwapPath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
        });
        var bytes = _memory!.GetBuffer().AsMemory(0, (int)_memory.Length);
        if (!bytes.IsEmpty)
        {
            await RandomAccess.WriteAsync(_file.SafeFileHandle, bytes, 0, ct);
        }

        _memory = null;
    }

    /// <summary>Ends the write: flushes the swap file to disk and returns the SHA-256 (lower-case hex).</summary>
    public async Task<string> FinishAsync(CancellationToken ct)
    {
        if (_sha256 is not null)
        {
            return _sha256;
        }

        await WaitPendingAsync();
        ReturnOwned();

        if (_hashDirty || _hashedUpTo != _length)
        {
            // A handle rewrote bytes already hashed: the only case where content is read back.
            _hash.GetHashAndReset();
            await using var again = OpenContent();
            var buffer = new byte[1 << 20];
            int n;
            while ((n = await again.ReadAsync(buffer, ct)) > 0)
            {
                _hash.AppendData(buffer, 0, n);
            }
        }

        if (_file is not null)
        {
            _file.Flush(flushToDisk: true);
        }

        _sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
        return _sha256;
    }

    /// <summary>Opens what was written so far (used to copy content in, and by memory buckets).</summary>
    public Stream OpenContent()
    {
        _pending?.GetAwaiter().GetResult();
        _pending = null;
        return OpenWritten();
    }

    private Stream OpenWritten() => SwapPath is null
        ? new MemoryStream(_memory!.GetBuffer(), 0, (int)_memory.Length, writable: false)
        : new FileStream(SwapPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 20);

    /// <summary>Closes the swap file so that it can be renamed.</summary>
    public void CloseFile()
    {
        _pending?.GetAwaiter().GetResult();
        _pending = null;
        ReturnOwned();
        _file?.Dispose();
        _file = null;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                _pending?.GetAwaiter().GetResult();
                ReturnOwned();
            }
            catch (IOException)
            {
                // The write failed; the swap file is dropped anyway.
            }

            _file?.Dispose();
            _file = null;
            _hash.Dispose();
            if (!Adopted && SwapPath is not null)
            {
                try
                {
                    File.Delete(SwapPath);
                }
                catch (IOException)
                {
                    // Left for fsck's stale-swap sweep.
                }
            }
        }

        base.Dispose(disposing);
    }
}
