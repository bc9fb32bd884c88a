using Amazon.S3;
using Amazon.S3.Model;

namespace Grove.Tree.S3.Internal;

/// <summary>fsck's clean-up in the object store: multipart uploads a crashed writer left behind.</summary>
internal static class S3Maintenance
{
    public static async Task<int> AbortStaleUploadsAsync(IAmazonS3 client, S3BucketSettings settings, DateTimeOffset olderThan, CancellationToken ct)
    {
        ListMultipartUploadsResponse uploads;
        try
        {
            uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest
            {
                BucketName = settings.Bucket,
                Prefix = settings.Prefix.Length == 0 ? null : settings.Prefix + "/",
            }, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is System.Net.HttpStatusCode.NotImplemented or System.Net.HttpStatusCode.MethodNotAllowed)
        {
            return 0; // Some S3-compatible servers (s3rver) cannot list uploads; their parts expire by the store's own rules.
        }

        var aborted = 0;
        foreach (var u in uploads.MultipartUploads ?? [])
        {
            if (u.Initiated is { } at && new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) < olderThan)
            {
                await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = settings.Bucket, Key = u.Key, UploadId = u.UploadId }, ct);
                aborted++;
            }
        }

        return aborted;
    }
}
