using Amazon.S3;
using Amazon.S3.Model;

namespace Grove.Tree.S3.Internal;

/// <summary>
/// Puts one blob: a single PUT up to the part size, else a multipart upload whose parts go up in parallel, each read
/// from the swap file through a window (memory stays bounded whatever the size). A failed multipart upload is aborted.
/// </summary>
internal sealed class S3Uploader(IAmazonS3 client, S3BucketSettings settings, S3Calls calls)
{
    public async Task PutAsync(string key, Func<Stream> open, string? swapPath, long length, CancellationToken ct)
    {
        if (swapPath is null || length <= settings.PartSize)
        {
            await calls.RunAsync("upload", async c =>
            {
                await using var body = open();
                await client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = settings.Bucket,
                    Key = key,
                    InputStream = body,
                    AutoCloseStream = false,
                    UseChunkEncoding = false,
                    ContentType = "application/octet-stream",
                }, c);
            }, ct);
            return;
        }

        await PutPartsAsync(key, swapPath, length, ct);
    }

    private async Task PutPartsAsync(string key, string swapPath, long length, CancellationToken ct)
    {
        var started = await calls.RunAsync("start of a multipart upload", c => client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = settings.Bucket,
            Key = key,
            ContentType = "application/octet-stream",
        }, c), ct);
        var uploadId = started.UploadId;
        var count = (int)((length + settings.PartSize - 1) / settings.PartSize);
        var etags = new PartETag[count];
        try
        {
            using var file = File.OpenHandle(swapPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = ct },
                async (part, c) =>
                {
                    var start = (long)(part - 1) * settings.PartSize;
                    var size = Math.Min(settings.PartSize, length - start);
                    var response = await calls.RunAsync($"upload of part {part}/{count}", async cc =>
                    {
                        await using var window = new FileSegmentStream(file, start, size);
                        return await client.UploadPartAsync(new UploadPartRequest
                        {
                            BucketName = settings.Bucket,
                            Key = key,
                            UploadId = uploadId,
                            PartNumber = part,
                            PartSize = size,
                            InputStream = window,
                            UseChunkEncoding = false,
                        }, cc);
                    }, c);
                    etags[part - 1] = new PartETag(part, response.ETag);
                });
            await calls.RunAsync("completion of a multipart upload", c => client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = settings.Bucket,
                Key = key,
                UploadId = uploadId,
                PartETags = [.. etags],
            }, c), ct);
        }
        catch
        {
            await AbortAsync(key, uploadId);
            throw;
        }
    }

    private async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = settings.Bucket, Key = key, UploadId = uploadId }, cts.Token);
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or OperationCanceledException or IOException)
        {
            // Left for fsck, which aborts stale multipart uploads.
        }
    }
}
