using Grove.Records;
using Grove.Tree.Redis;
using Grove.Tree.S3;
using Grove.Tree.Storage;

namespace Grove.Server;

/// <summary>
/// The storage providers the server and the CLI serve: the kernel's built-ins plus the provider assemblies, one line
/// each (docs/architecture.md, "How to add a storage provider").
/// </summary>
public static class GroveStorage
{
    /// <summary>The shared, read-only registry.</summary>
    public static StorageRegistry Registry { get; } = CreateRegistry().Freeze();

    /// <summary>A new registry with every provider Grove ships; a host may add its own before passing it in.</summary>
    public static StorageRegistry CreateRegistry() => StorageRegistry.CreateDefault()
        .AddS3()
        .AddRedis()
        .AddRecords();
}
