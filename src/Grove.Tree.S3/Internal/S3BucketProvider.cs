using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Grove.Tree.Storage;

namespace Grove.Tree.S3.Internal;

/// <summary>
/// <c>s3(Name)</c> and <c>aliyunoss(Name)</c> (Aliyun OSS speaks the S3 protocol): the bucket configured as
/// <c>Grove:Buckets:Name</c>; without a name, the one named <c>default</c>. Both spellings open the same bucket under
/// the one name <c>s3:Name</c>, so its reference counts and fsck never split in two.
/// </summary>
internal sealed class S3BucketProvider(string kind) : IBucketProvider
{
    public const string CanonicalKind = "s3";
    public const string DefaultName = "default";

    public string Kind => kind;

    public string? CheckSetting(string? setting)
    {
        if (setting is null)
        {
            return null;
        }

        var bad = setting.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'));
        return setting.Length is 0 or > 100 || bad != default
            ? $"invalid bucket name '{setting}' in {kind}(…): a configured name (A-Z a-z 0-9 _ - .), as under Grove:Buckets"
            : null;
    }

    public void Check(string? setting, StorageContext context)
    {
        if (CheckSetting(setting) is { } error)
        {
            throw new TreeException(TreeErrorCode.InvalidMount, error);
        }

        var name = setting ?? DefaultName;
        var display = $"{kind}({name})";
        var settings = S3BucketSettings.Read(name, context.Settings, display);

        // Note that the mount is refused before its directory exists when the store cannot be used: wrong credentials,
        // no such bucket, an unreachable endpoint. Check is synchronous by contract; this runs once per mount.
        using var client = CreateClient(settings);
        var calls = new S3Calls(display, settings.Attempts, context.Time);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task.Run(() => calls.RunAsync("check", c => client.ListObjectsV2Async(new ListObjectsV2Request
        {
            BucketName = settings.Bucket,
            Prefix = settings.Prefix,
            MaxKeys = 1,
        }, c), cts.Token), cts.Token).GetAwaiter().GetResult();
    }

    public IBucket Open(string name, string? setting, StorageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var configured = setting ?? DefaultName;
        var display = $"{kind}({configured})";
        var settings = S3BucketSettings.Read(configured, context.Settings, display);
        var canonical = name.Length == 0 ? "" : CanonicalKind + ":" + configured;
        return new S3Bucket(canonical, display, CreateClient(settings), settings, Path.Combine(context.DataPath, "swap", "s3"), context.Time);
    }

    public async IAsyncEnumerable<string> ExistingAsync(StorageContext context, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.CompletedTask;
        if (kind != CanonicalKind)
        {
            yield break; // aliyunoss(Name) rows are stored under s3:Name.
        }

        foreach (var name in S3BucketSettings.ConfiguredNames(context.Settings))
        {
            yield return CanonicalKind + ":" + name;
        }
    }

    /// <summary>A client for one configured bucket (the SDK's own retries off: <see cref="S3Calls"/> retries).</summary>
    public static AmazonS3Client CreateClient(S3BucketSettings settings)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            AuthenticationRegion = settings.Region,
            MaxErrorRetry = 0,
            Timeout = settings.Timeout,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (settings.ServiceUrl is { } url)
        {
            config.ServiceURL = url;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }

        AWSCredentials credentials = settings.AccessKey is null
            ? new AnonymousAWSCredentials()
            : new BasicAWSCredentials(settings.AccessKey, settings.SecretKey ?? "");
        return new AmazonS3Client(credentials, config);
    }
}
