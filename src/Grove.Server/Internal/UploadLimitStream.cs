namespace Grove.Server.Internal;

/// <summary>
/// An upload body of undeclared length, cut at the limit. Note that past the limit it reads and drops what the client
/// is still sending (up to <see cref="DrainBytes"/>, for at most <see cref="DrainTime"/>) before failing with
/// <c>too_large</c>: a server that stops reading mid-body makes the client's send fail with a reset connection, and
/// the client never sees the 413 that says why.
/// </summary>
internal sealed class UploadLimitStream(Stream inner, long limit) : Stream
{
    public const long DrainBytes = 64L << 20;

    public static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(10);

    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        _read += n;
        if (_read > limit)
        {
            await DrainAsync(cancellationToken);
            throw new ServerException(ErrorMap.TooLarge, $"the upload is over the limit of {limit} bytes; nothing was stored");
        }

        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("uploads are read asynchronously");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private async Task DrainAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(DrainTime);
        var scratch = new byte[64 * 1024];
        long drained = 0;
        try
        {
            int n;
            while (drained < DrainBytes && (n = await inner.ReadAsync(scratch, timeout.Token)) > 0)
            {
                drained += n;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            // The client is slow or gone: answer anyway; the connection closes after the answer.
        }
    }
}
