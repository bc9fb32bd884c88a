using Microsoft.Extensions.Configuration;

namespace Grove.Client.Configuration;

/// <summary>The configuration source of <see cref="GroveConfigurationExtensions.AddGroveConfig"/>.</summary>
public sealed class GroveConfigurationSource(GroveConfigurationOptions options) : IConfigurationSource
{
    /// <summary>The options the provider runs with.</summary>
    public GroveConfigurationOptions Options { get; } = options;

    /// <inheritdoc/>
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new GroveConfigurationProvider(Options);
}
