using Grove.Tree.S3.Internal;
using Grove.Tree.Storage;

namespace Grove.Tree.S3;

/// <summary>Adds the object-storage buckets to a <see cref="StorageRegistry"/>.</summary>
public static class S3StorageRegistryExtensions
{
    /// <summary>
    /// Serves <c>s3(Name)</c> and <c>aliyunoss(Name)</c> (replacing the built-in refusals): buckets configured as
    /// <c>Grove:Buckets:&lt;Name&gt;</c> (<see cref="S3BucketSettings"/>), per mount or as the default bucket
    /// (<c>s3(Name)</c> in <see cref="TreeOptions.DefaultBucket"/>).
    /// </summary>
    public static StorageRegistry AddS3(this StorageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new S3BucketProvider(S3BucketProvider.CanonicalKind)).Add(new S3BucketProvider("aliyunoss"));
    }
}
