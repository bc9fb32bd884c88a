using Amazon.S3;
using Amazon.S3.Model;
using Grove.Tree.S3.Internal;
using Xunit.Abstractions;

namespace Grove.Tree.S3.Tests;

/// <summary>A tree on a temp folder with object-storage buckets in a fresh bucket of the shared s3rver.</summary>
public abstract class S3TestBase(ITestOutputHelper output) : IAsyncLifetime
{
    protected ITestOutputHelper Output { get; } = output;

    protected TempFolder Folder { get; } = new();

    protected bool Unavailable { get; private set; }

    protected string BucketName { get; } = "grove-" + Guid.NewGuid().ToString("N")[..12];

    protected AmazonS3Client Raw { get; private set; } = null!;

    protected TreeService Tree { get; set; } = null!;

    protected static StorageRegistry Registry { get; } = StorageRegistry.CreateDefault().AddS3().Freeze();

    /// <summary>The settings of a bucket named <paramref name="name"/> pointing at this test's S3 bucket.</summary>
    protected Dictionary<string, string?> Settings(string name = "media", string? secret = null, string? url = null, string? bucket = null, string prefix = "grove") => new(StringComparer.OrdinalIgnoreCase)
    {
        [$"Buckets:{name}:Kind"] = "s3",
        [$"Buckets:{name}:ServiceUrl"] = url ?? S3rverServer.ServiceUrl,
        [$"Buckets:{name}:Bucket"] = bucket ?? BucketName,
        [$"Buckets:{name}:Prefix"] = prefix,
        [$"Buckets:{name}:ForcePathStyle"] = "true",
        [$"Buckets:{name}:AccessKey"] = S3rverServer.Key,
        [$"Buckets:{name}:SecretKey"] = secret ?? S3rverServer.Key,
        [$"Buckets:{name}:PartSize"] = (5 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"Buckets:{name}:Attempts"] = "2",
    };

    protected virtual string? DefaultBucket => null;

    public async Task InitializeAsync()
    {
        if (!S3rverServer.Instance.AvailableOrSkip(Output))
        {
            Unavailable = true;
            return;
        }

        Raw = S3BucketProvider.CreateClient(S3BucketSettings.Read("media", Settings(), "test"));
        await Raw.PutBucketAsync(new PutBucketRequest { BucketName = BucketName });
        Tree = await OpenTreeAsync(Settings());
    }

    protected Task<TreeService> OpenTreeAsync(Dictionary<string, string?> settings, string? data = null) => TreeService.OpenAsync(new TreeOptions
    {
        DataPath = data ?? Folder.Combine("data"),
        Storage = Registry,
        Settings = settings,
        DefaultBucket = DefaultBucket,
        ReclaimInterval = TimeSpan.Zero,
    });

    /// <summary>The keys stored in this test's S3 bucket.</summary>
    protected async Task<List<string>> KeysAsync()
    {
        var r = await Raw.ListObjectsV2Async(new ListObjectsV2Request { BucketName = BucketName });
        return [.. (r.S3Objects ?? []).Select(o => o.Key)];
    }

    protected static byte[] Bytes(int n, int seed = 1)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    public async Task DisposeAsync()
    {
        if (Tree is not null)
        {
            await Tree.DisposeAsync();
        }

        Raw?.Dispose();
        Folder.Dispose();
    }
}
