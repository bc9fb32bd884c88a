namespace Grove.Tree.Internal.Providers;

/// <summary>The providers the kernel ships, registered exactly as a provider of another assembly would be.</summary>
internal static class BuiltInProviders
{
    public static StorageRegistry AddTo(StorageRegistry r) => r
        .Add(new SqliteStoreProvider())
        .Add(new PostgresStoreProvider())
        .Add(new MemoryStoreProvider())
        .Add(new MemIndexProvider())
        .Add(new FileIndexProvider())
        .Add(new MqIndexProvider())
        .Add(new LocalBucketProvider())
        .Add(new LbmBucketProvider())
        .Add(new PgChunkBucketProvider())
        .Add(new MemoryBucketProvider())
        .Alias("postgresql", StoreSpec.PostgresKind)
        .Alias("redia", "redis")
        .Refuse(StorageRole.Store, "mongo", MongoReason)
        .Refuse(StorageRole.Store, "mongodb", MongoReason)
        .Refuse(StorageRole.Index, "mongo", MongoReason)
        .Refuse(StorageRole.Index, "dao", "SQL-table mounts are served by the records engine (Grove.Records): add them with StorageRegistry.CreateDefault().AddRecords() (the server and the CLI do)")
        .Refuse(StorageRole.Index, "redis", "the Redis index is served by the Grove.Tree.Redis provider: add it with StorageRegistry.CreateDefault().AddRedis() (the server and the CLI do)")
        .Refuse(StorageRole.Bucket, "aliyunoss", "object-storage buckets are served by the Grove.Tree.S3 provider: add it with StorageRegistry.CreateDefault().AddS3() (the server and the CLI do)")
        .Refuse(StorageRole.Bucket, "s3", "object-storage buckets are served by the Grove.Tree.S3 provider: add it with StorageRegistry.CreateDefault().AddS3() (the server and the CLI do)")
        .Refuse(StorageRole.Bucket, "redis", "the Redis bucket is served by the Grove.Tree.Redis provider: add it with StorageRegistry.CreateDefault().AddRedis() (the server and the CLI do)");

    private const string MongoReason =
        "no MongoDB server can be installed on the machines Grove is built and tested on, so no provider could be tested; use postgres:// to share a tree between nodes";
}
