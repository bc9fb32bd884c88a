using Microsoft.Extensions.Configuration;

namespace Grove.Server.Modules;

/// <summary>
/// The storage providers' settings as the kernel takes them: every key under <c>Grove</c> (<c>Buckets:media:ServiceUrl</c>,
/// <c>Redis:Configuration</c>), so <c>Grove__Buckets__media__SecretKey</c> in the environment works like any setting.
/// </summary>
internal static class ProviderSettings
{
    public static IReadOnlyDictionary<string, string?> From(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var section = configuration.GetSection("Grove");
        return section.AsEnumerable(makePathsRelative: true)
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
    }
}
