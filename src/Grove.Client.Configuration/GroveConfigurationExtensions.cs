using Microsoft.Extensions.Configuration;

namespace Grove.Client.Configuration;

/// <summary>Adds Grove's config center to a configuration: <c>builder.Configuration.AddGroveConfig(o =&gt; …)</c>.</summary>
public static class GroveConfigurationExtensions
{
    /// <summary>
    /// Loads configs from a Grove server as configuration keys and reloads them when they change, so
    /// <c>IOptionsMonitor&lt;T&gt;</c> sees new values:
    /// <code>
    /// builder.Configuration.AddGroveConfig(o =&gt;
    /// {
    ///     o.Server = new Uri("http://config.internal:7070");
    ///     o.ApiKey = Environment.GetEnvironmentVariable("GROVE_API_KEY");
    ///     o.Add("SHOP", "shop.yaml", section: "Shop");
    /// });
    /// </code>
    /// </summary>
    public static IConfigurationBuilder AddGroveConfig(this IConfigurationBuilder builder, Action<GroveConfigurationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new GroveConfigurationOptions();
        configure(options);
        if (options.Server is not { IsAbsoluteUri: true })
        {
            throw new ArgumentException("GroveConfigurationOptions.Server must be an absolute http(s) URL", nameof(configure));
        }

        if (options.Configs.Count == 0)
        {
            throw new ArgumentException("name at least one config: o.Add(group, dataId)", nameof(configure));
        }

        if (options.SnapshotKey is { Length: not 32 })
        {
            throw new ArgumentException("GroveConfigurationOptions.SnapshotKey must be 32 bytes", nameof(configure));
        }

        return builder.Add(new GroveConfigurationSource(options));
    }
}
