using System.Security.Cryptography;

namespace Grove.Client.Tests;

/// <summary>
/// A read-only, non-seekable stream of <see cref="Length"/> pseudo-random bytes made on the fly (nothing held), which
/// hashes what it hands out and samples the process's managed heap on every read.
/// </summary>
internal sealed class GeneratedStream(long length, MemoryProbe probe) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private ulong _state = 0x9E3779B97F4A7C15;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length { get; } = length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>The SHA-256 of everything read so far, as lower-case hex.</summary>
    public string Sha256 => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, Length - _position);
        var span = buffer[..n];
        for (var i = 0; i < span.Length; i++)
        {
            // xorshift64: fast, deterministic, incompressible enough.
            _state ^= _state << 13;
            _state ^= _state >> 7;
            _state ^= _state << 17;
            span[i] = (byte)_state;
        }

        _hash.AppendData(span);
        _position += n;
        probe.Sample();
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
