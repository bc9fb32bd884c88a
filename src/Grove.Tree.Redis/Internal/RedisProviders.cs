using System.Globalization;
using Grove.Tree.Storage;
using StackExchange.Redis;

namespace Grove.Tree.Redis.Internal;

/// <summary>Checks of the name in <c>redis(Name)</c>.</summary>
internal static class RedisNames
{
    public const string Default = "_";

    public static string? Check(string? setting, string role)
    {
        if (setting is null)
        {
            return null;
        }

        var bad = setting.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/'));
        return setting.Length is 0 or > 200 || bad != default
            ? $"invalid {role} name '{setting}' in redis(…) (allowed: A-Z a-z 0-9 _ - . /)"
            : null;
    }
}

/// <summary><c>redis</c>, <c>redis(Key)</c> (and the seed's <c>redia</c>) mounts: an index in Redis under the key prefix <c>grove:Key:</c>.</summary>
internal sealed class RedisIndexProvider : IIndexProvider
{
    public string Kind => "redis";

    public string? CheckSetting(string? setting) => RedisNames.Check(setting, "key");

    public async Task CheckAsync(MountSpec spec, StorageContext context, CancellationToken ct)
    {
        var display = $"redis({spec.IndexSetting ?? RedisNames.Default})";
        var mux = await RedisConnections.GetAsync(context, display);
        try
        {
            await mux.GetDatabase().PingAsync();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new TreeException(TreeErrorCode.StorageUnavailable, $"{display}: Redis does not answer ({e.Message.Split('\n')[0]})", e);
        }
    }

    public async Task<MountedIndex> OpenAsync(MountSpec spec, string homeId, StorageContext context, CancellationToken ct)
    {
        var key = spec.IndexSetting ?? RedisNames.Default;
        var mux = await RedisConnections.GetAsync(context, $"redis({key})");
        return new MountedIndex(new RedisIndexer(mux.GetDatabase(), key, context.Time));
    }
}

/// <summary><c>://redis(Name)</c> storage: small content in Redis, capped (<c>Grove:Redis:MaxBlobBytes</c>, default 1 MiB).</summary>
internal sealed class RedisBucketProvider : IBucketProvider
{
    public const int DefaultMaxBytes = 1 << 20;

    public string Kind => "redis";

    public string? CheckSetting(string? setting) => RedisNames.Check(setting, "bucket");

    public void Check(string? setting, StorageContext context)
    {
        if (CheckSetting(setting) is { } error)
        {
            throw new TreeException(TreeErrorCode.InvalidMount, error);
        }

        var display = $"redis({setting ?? RedisNames.Default})";
        var mux = Task.Run(() => RedisConnections.GetAsync(context, display)).GetAwaiter().GetResult();
        _ = mux.GetDatabase().Ping();
    }

    public IBucket Open(string name, string? setting, StorageContext context)
    {
        var bucket = setting ?? RedisNames.Default;
        var display = $"redis({bucket})";
        var mux = Task.Run(() => RedisConnections.GetAsync(context, display)).GetAwaiter().GetResult();
        var max = context.Settings.FirstOrDefault(kv => string.Equals(kv.Key, "Redis:MaxBlobBytes", StringComparison.OrdinalIgnoreCase)).Value is { } m
            ? int.Parse(m, CultureInfo.InvariantCulture)
            : DefaultMaxBytes;
        return new RedisBucket(name, display, mux.GetDatabase(), bucket, max, context.Time);
    }
}
