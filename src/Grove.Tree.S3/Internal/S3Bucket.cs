using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Grove.Tree.Storage;

namespace Grove.Tree.S3.Internal;

/// <summary>
/// A content-addressed bucket in an S3-compatible object store (the seed's AliyunOssBM): blobs at
/// <c>&lt;prefix&gt;/&lt;first 4 hex of the SHA-256&gt;/&lt;other 60&gt;</c>. Content is hashed first (in memory up
/// to <see cref="SpillAt"/>, spooled to the data folder's swap beyond), then a HEAD asks whether the store has it, and
/// only absent content goes up — the seed's "two-part storage".
/// </summary>
internal sealed class S3Bucket : IBucket
{
    /// <summary>Content up to this size is hashed in memory; larger content is spooled to local disk.</summary>
    public const int SpillAt = 4 << 20;

    // Note that a de-duplicated hit older than this is touched (copied onto itself), so the orphan sweep, which
    // removes only blobs untouched for the grace period, keeps content that was just referenced again.
    private static readonly TimeSpan TouchAfter = TimeSpan.FromMinutes(5);

    private readonly IAmazonS3 _client;
    private readonly S3BucketSettings _settings;
    private readonly S3Calls _calls;
    private readonly S3Uploader _uploader;
    private readonly string _swap;
    private readonly TimeProvider _time;

    public S3Bucket(string name, string display, IAmazonS3 client, S3BucketSettings settings, string swap, TimeProvider time)
    {
        Name = name;
        Display = display;
        _client = client;
        _settings = settings;
        _swap = swap;
        _time = time;
        _calls = new S3Calls(display, settings.Attempts, time);
        _uploader = new S3Uploader(client, settings, _calls);
    }

    public string Name { get; }

    /// <summary>The expression for messages (<c>aliyunoss(media)</c>).</summary>
    public string Display { get; }

    public bool ContentAddressed => true;

    /// <summary>The retries made so far.</summary>
    public long Retries => _calls.Retries;

    /// <summary>The object key of a blob.</summary>
    public string Key(string sha256) => (_settings.Prefix.Length == 0 ? "" : _settings.Prefix + "/") + sha256[..4] + "/" + sha256[4..];

    public SwapWriter CreateWriter(int inlineThreshold) => new(() =>
    {
        Directory.CreateDirectory(_swap);
        return Path.Combine(_swap, ObjectIds.New());
    }, Math.Max(inlineThreshold, SpillAt));

    public async Task PlaceAsync(SwapWriter writer, TreeObject target, CancellationToken ct)
    {
        var sha = await writer.FinishAsync(ct);
        var key = Key(sha);
        if (await HeadAsync(key, ct) is { } modified)
        {
            if (modified < _time.GetUtcNow() - TouchAfter && !await TouchAsync(key, ct))
            {
                await UploadAsync(writer, key, ct);
            }

            return;
        }

        await UploadAsync(writer, key, ct);
    }

    private async Task UploadAsync(SwapWriter writer, string key, CancellationToken ct)
    {
        writer.CloseFile();
        var swap = writer.SwapPath;
        await _uploader.PutAsync(key, writer.OpenContent, swap, writer.Length, ct);
    }

    private async Task<bool> TouchAsync(string key, CancellationToken ct)
    {
        try
        {
            await _calls.RunAsync("touch", c => _client.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = _settings.Bucket,
                SourceKey = key,
                DestinationBucket = _settings.Bucket,
                DestinationKey = key,
                MetadataDirective = S3MetadataDirective.REPLACE,
                ContentType = "application/octet-stream",
            }, c), ct);
            return true;
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.StorageRefused)
        {
            return false; // The store cannot copy in place (or the blob is too big to copy): upload it again.
        }
    }

    /// <summary>The blob's last-modified time, or null when the store lacks it.</summary>
    private Task<DateTimeOffset?> HeadAsync(string key, CancellationToken ct) => _calls.RunAsync<DateTimeOffset?>("lookup", async c =>
    {
        try
        {
            var meta = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _settings.Bucket, Key = key }, c);
            return meta.LastModified is { } m ? new DateTimeOffset(DateTime.SpecifyKind(m, DateTimeKind.Utc)) : DateTimeOffset.MinValue;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
    }, ct);

    public async Task<Stream> OpenReadAsync(TreeObject obj, CancellationToken ct)
    {
        var stream = new S3ReadStream(_client, _settings.Bucket, Key(obj.Sha256!), obj.Length, _calls, obj.Path ?? obj.Id);
        try
        {
            await stream.StartAsync(ct);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    public async ValueTask<bool> ExistsAsync(string sha256, CancellationToken ct) => await HeadAsync(Key(sha256), ct) is not null;

    public async IAsyncEnumerable<StoredBlob> ListBlobsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var prefix = _settings.Prefix.Length == 0 ? "" : _settings.Prefix + "/";
        string? token = null;
        do
        {
            var from = token;
            var page = await _calls.RunAsync("listing", c => _client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = _settings.Bucket,
                Prefix = prefix,
                ContinuationToken = from,
                MaxKeys = 1000,
            }, c), ct);
            foreach (var o in page.S3Objects ?? [])
            {
                var rest = o.Key[prefix.Length..];
                if (rest.Length == 65 && rest[4] == '/' && rest.Remove(4, 1).All(char.IsAsciiHexDigitLower))
                {
                    var written = o.LastModified is { } m ? new DateTimeOffset(DateTime.SpecifyKind(m, DateTimeKind.Utc)) : DateTimeOffset.MinValue;
                    yield return new StoredBlob(rest.Remove(4, 1), written, o.Size ?? -1);
                }
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public async ValueTask<bool> TryRemoveAsync(string sha256, DateTimeOffset notAfter, CancellationToken ct)
    {
        var key = Key(sha256);
        if (await HeadAsync(key, ct) is not { } modified || modified > notAfter)
        {
            return false;
        }

        await _calls.RunAsync("removal", c => _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _settings.Bucket, Key = key }, c), ct);
        return true;
    }

    public async ValueTask<int> RemoveStaleSwapAsync(DateTimeOffset olderThan, CancellationToken ct)
    {
        var removed = 0;
        if (Directory.Exists(_swap))
        {
            foreach (var file in Directory.EnumerateFiles(_swap))
            {
                if (File.GetLastWriteTimeUtc(file) < olderThan.UtcDateTime)
                {
                    File.Delete(file);
                    removed++;
                }
            }
        }

        return removed + await S3Maintenance.AbortStaleUploadsAsync(_client, _settings, olderThan, ct);
    }
}
