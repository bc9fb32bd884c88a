using Grove.Tree.Redis.Internal;
using Grove.Tree.Storage;

namespace Grove.Tree.Redis;

/// <summary>Adds Redis to a <see cref="StorageRegistry"/>.</summary>
public static class RedisStorageRegistryExtensions
{
    /// <summary>
    /// Serves <c>redis(Key)</c> mounts (also written <c>redia</c>) and <c>redis(Name)</c> storage (replacing the
    /// built-in refusals), on the Redis of <c>Grove:Redis:Configuration</c> (<see cref="RedisConnections"/>).
    /// </summary>
    public static StorageRegistry AddRedis(this StorageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new RedisIndexProvider()).Add(new RedisBucketProvider());
    }
}
