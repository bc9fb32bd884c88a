using Grove.Tree.Internal;

namespace Grove.Tree;

/// <summary>
/// An open write handle on one file: a seekable stream whose bytes become the file's content on
/// <see cref="CommitAsync"/>, atomically. Only one write handle holds a file at a time; it carries a fencing token,
/// and its lease (60 s by default) is renewed by writing. A handle whose lease ran out still commits if nobody took
/// the file over meanwhile; otherwise its commit fails with <c>handle_lost</c>. Disposing without committing leaves
/// the previous content intact.
/// </summary>
public sealed class WriteHandle : Stream
{
    private readonly Internal.Parts.WriteHandles _handles;
    private readonly Internal.Parts.ContentIo _content;
    private readonly SwapWriter _writer;
    private Located _loc;
    private long _leaseUntil;
    private bool _done;

    internal WriteHandle(Internal.Parts.WriteHandles handles, Internal.Parts.ContentIo content, Located loc, SwapWriter writer, long token, long leaseUntil)
    {
        _handles = handles;
        _content = content;
        _loc = loc;
        _writer = writer;
        Token = token;
        _leaseUntil = leaseUntil;
    }

    /// <summary>The fencing token: larger than that of any earlier handle on the same file.</summary>
    public long Token { get; }

    /// <summary>The file's id.</summary>
    public string ObjectId => _loc.Object.Id;

    /// <summary>The file's path when the handle was opened.</summary>
    public string FilePath => _loc.Path;

    /// <summary>When the lease ends unless renewed by a write.</summary>
    public DateTimeOffset LeaseUntil => DateTimeOffset.FromUnixTimeMilliseconds(Volatile.Read(ref _leaseUntil));

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => true;

    /// <inheritdoc/>
    public override bool CanWrite => !_done;

    /// <inheritdoc/>
    public override long Length => _writer.Length;

    /// <inheritdoc/>
    public override long Position { get => _writer.Position; set => _writer.Position = value; }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => _writer.Seek(offset, origin);

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_done)
        {
            throw new TreeException(TreeErrorCode.HandleLost, $"write handle {Token} on {FilePath} is closed");
        }

        await _writer.WriteAsync(buffer, cancellationToken);
        var renewed = await _handles.RenewLeaseAsync(_loc, Token, Volatile.Read(ref _leaseUntil), cancellationToken);
        Volatile.Write(ref _leaseUntil, renewed);
    }

    /// <summary>Makes the written bytes the file's content, with <c>len</c>, <c>sha256</c> and <c>lm</c>, atomically.</summary>
    public async Task<TreeObject> CommitAsync(CancellationToken ct = default)
    {
        if (_done)
        {
            throw new TreeException(TreeErrorCode.HandleLost, $"write handle {Token} on {FilePath} is closed");
        }

        _done = true;
        try
        {
            _loc = await _content.CommitContentAsync(_loc, _writer, Token, null, null, null, ct);
            return _loc.Object;
        }
        finally
        {
            _writer.Dispose();
        }
    }

    /// <summary>Drops what was written and releases the file; its content stays as it was.</summary>
    public async Task AbortAsync()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        _writer.Dispose();
        await _handles.ReleaseLeaseAsync(_loc, Token);
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        await AbortAsync();
        await base.DisposeAsync();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_done)
        {
            AbortAsync().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }
}
