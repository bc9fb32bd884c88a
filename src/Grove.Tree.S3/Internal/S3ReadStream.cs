using Amazon.S3;
using Amazon.S3.Model;

namespace Grove.Tree.S3.Internal;

/// <summary>
/// A seekable read stream over one object: a ranged GET from the position, streamed; a seek elsewhere drops the body
/// and the next read asks for the new range; a body cut off mid-way is asked for again from where it stopped.
/// </summary>
internal sealed class S3ReadStream(IAmazonS3 client, string bucket, string key, long length, S3Calls calls, string what) : Stream
{
    private GetObjectResponse? _response;
    private long _bodyAt = -1;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>Starts the body at the current position (so a missing blob or refused credentials show at open).</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_position < length)
        {
            await OpenBodyAsync(ct);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.IsEmpty)
        {
            return 0;
        }

        for (var attempt = 1; ; attempt++)
        {
            if (_response is null || _bodyAt != _position)
            {
                await OpenBodyAsync(cancellationToken);
            }

            try
            {
                var n = await _response!.ResponseStream.ReadAsync(buffer[..(int)Math.Min(buffer.Length, length - _position)], cancellationToken);
                if (n == 0)
                {
                    throw new IOException($"the object store ended {key} at {_position} of {length} bytes");
                }

                _position += n;
                _bodyAt = _position;
                return n;
            }
            catch (Exception e) when (e is IOException or HttpRequestException && attempt < 3 && !cancellationToken.IsCancellationRequested)
            {
                DropBody();
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return target;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DropBody();
        }

        base.Dispose(disposing);
    }

    private async Task OpenBodyAsync(CancellationToken ct)
    {
        DropBody();
        var from = _position;
        _response = await calls.RunAsync("read", async c =>
        {
            try
            {
                return await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange(from, length - 1) }, c);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
            {
                throw new TreeException(TreeErrorCode.NotFound, $"content of {what} is missing from the object store ({key}); run fsck", e);
            }
        }, ct);
        _bodyAt = from;
    }

    private void DropBody()
    {
        _response?.Dispose();
        _response = null;
        _bodyAt = -1;
    }
}
