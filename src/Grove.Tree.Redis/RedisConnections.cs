using System.Collections.Concurrent;
using Grove.Tree.Storage;
using StackExchange.Redis;

namespace Grove.Tree.Redis;

/// <summary>
/// One multiplexed connection per configuration string, shared by every Redis mount, bucket and engine of the
/// process (queues may use it for Streams). The configuration comes from <c>Grove:Redis:Configuration</c>
/// (<c>Grove__Redis__Configuration</c>), a StackExchange.Redis configuration string such as <c>127.0.0.1:6379</c>.
/// </summary>
public static class RedisConnections
{
    /// <summary>The setting key of the configuration string (under <c>Grove</c>).</summary>
    public const string SettingKey = "Redis:Configuration";

    private static readonly ConcurrentDictionary<string, Lazy<Task<IConnectionMultiplexer>>> Open = new(StringComparer.Ordinal);

    /// <summary>The configuration string of <paramref name="context"/>; throws <c>invalid_mount</c> naming the setting when absent.</summary>
    public static string Configuration(StorageContext context, string expression)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Settings.FirstOrDefault(kv => string.Equals(kv.Key, SettingKey, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } c
            ? c
            : throw new TreeException(TreeErrorCode.InvalidMount,
                $"{expression}: no Redis is configured (set Grove:Redis:Configuration, e.g. Grove__Redis__Configuration=127.0.0.1:6379)");
    }

    /// <summary>
    /// The shared connection for <paramref name="configuration"/>, connecting on first use. Throws
    /// <c>storage_unavailable</c> naming <paramref name="expression"/> and the cause when Redis cannot be reached (a later
    /// call tries again).
    /// </summary>
    public static async Task<IConnectionMultiplexer> GetAsync(string configuration, string expression)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        var lazy = Open.GetOrAdd(configuration, c => new Lazy<Task<IConnectionMultiplexer>>(() => ConnectAsync(c)));
        try
        {
            return await lazy.Value;
        }
        catch (Exception e) when (e is RedisException or ArgumentException or TimeoutException)
        {
            Open.TryRemove(new KeyValuePair<string, Lazy<Task<IConnectionMultiplexer>>>(configuration, lazy));
            throw new TreeException(TreeErrorCode.StorageUnavailable, $"{expression}: Redis at {Shown(configuration)} cannot be reached ({e.Message.Split('\n')[0]})", e);
        }
    }

    /// <summary>The shared connection of a storage context (<see cref="Configuration"/>).</summary>
    public static Task<IConnectionMultiplexer> GetAsync(StorageContext context, string expression) =>
        GetAsync(Configuration(context, expression), expression);

    private static async Task<IConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = true;
        if (!configuration.Contains("connectTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.ConnectTimeout = 3000;
        }

        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>The configuration without any password, for messages.</summary>
    public static string Shown(string configuration) =>
        string.Join(',', (configuration ?? "").Split(',').Where(p => !p.TrimStart().StartsWith("password", StringComparison.OrdinalIgnoreCase)));
}
