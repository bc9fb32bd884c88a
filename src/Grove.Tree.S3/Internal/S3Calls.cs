using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Grove.Tree.S3.Internal;

/// <summary>
/// Runs S3 requests with retries (exponential backoff with full jitter on 5xx, throttling, time-outs and connection
/// failures) and turns what is left into a <see cref="TreeException"/> naming the bucket and the cause.
/// </summary>
internal sealed class S3Calls(string display, int attempts, TimeProvider time)
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    /// <summary>How many retries were made (for tests and diagnostics).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    private long _retries;

    public async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && IsTransient(e) && attempt < attempts)
            {
                Interlocked.Increment(ref _retries);
                var cap = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap), time, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is not TreeException && (e is AmazonServiceException || IsTransient(e)))
            {
                throw Translate(what, e);
            }
        }
    }

    public Task RunAsync(string what, Func<CancellationToken, Task> call, CancellationToken ct) =>
        RunAsync<bool>(what, async c =>
        {
            await call(c);
            return true;
        }, ct);

    /// <summary>Whether a failure may pass on its own: 5xx, 429, a time-out, a refused or reset connection.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        AmazonServiceException s when (int)s.StatusCode >= 500 || s.StatusCode == HttpStatusCode.TooManyRequests => true,
        AmazonServiceException s when s.StatusCode == 0 && s.InnerException is { } inner => IsTransient(inner),
        AmazonClientException c when c.InnerException is { } inner => IsTransient(inner),
        HttpRequestException or SocketException or TimeoutException or IOException => true,
        TaskCanceledException or OperationCanceledException => true,
        _ => e.InnerException is { } i && IsTransient(i),
    };

    public TreeException Translate(string what, Exception e)
    {
        var prefix = $"bucket {display}: {what} failed";
        return e switch
        {
            AmazonS3Exception s when s.ErrorCode is "InvalidAccessKeyId" or "SignatureDoesNotMatch" =>
                new TreeException(TreeErrorCode.StorageRefused, $"{prefix}: the object store refused the credentials ({s.ErrorCode}); check AccessKey and SecretKey", e),
            AmazonS3Exception s when s.ErrorCode is "NoSuchBucket" =>
                new TreeException(TreeErrorCode.StorageRefused, $"{prefix}: the object store has no such bucket (NoSuchBucket)", e),
            AmazonS3Exception s when s.StatusCode is HttpStatusCode.Forbidden =>
                new TreeException(TreeErrorCode.StorageRefused, $"{prefix}: access denied ({s.ErrorCode ?? "403"})", e),
            AmazonServiceException s when (int)s.StatusCode >= 400 && (int)s.StatusCode < 500 =>
                new TreeException(TreeErrorCode.StorageRefused, $"{prefix}: {(int)s.StatusCode} {s.ErrorCode} {s.Message}", e),
            _ when IsTransient(e) =>
                new TreeException(TreeErrorCode.StorageUnavailable, $"{prefix} after {attempts} attempt(s): the object store cannot be reached or keeps failing ({Root(e).Message})", e),
            _ => new TreeException(TreeErrorCode.StorageRefused, $"{prefix}: {Root(e).Message}", e),
        };
    }

    private static Exception Root(Exception e) => e.InnerException is { } i && e is AmazonClientException or HttpRequestException ? Root(i) : e;
}
