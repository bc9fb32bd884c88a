using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Grove.Client;

/// <summary>Registers <see cref="GroveClient"/> with dependency injection, over <see cref="IHttpClientFactory"/>.</summary>
public static class GroveServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="GroveClient"/> (transient, over the factory's pooled handlers) with its options:
    /// <code>services.AddGroveClient(o =&gt; { o.BaseAddress = new Uri("http://127.0.0.1:7070"); o.ApiKey = key; });</code>
    /// Returns the <see cref="IHttpClientBuilder"/> of the named client <see cref="GroveClient.HttpClientName"/>, to
    /// add handlers (retries, logging) to it.
    /// </summary>
    public static IHttpClientBuilder AddGroveClient(this IServiceCollection services, Action<GroveClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<GroveClientOptions>()
            .Configure(configure)
            .Validate(o => o.BaseAddress is { IsAbsoluteUri: true }, "GroveClientOptions.BaseAddress must be an absolute http(s) URL");
        services.AddTransient(sp =>
        {
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(GroveClient.HttpClientName);
            return new GroveClient(http, sp.GetRequiredService<IOptions<GroveClientOptions>>().Value);
        });
        return services.AddHttpClient(GroveClient.HttpClientName, (sp, http) =>
            http.Timeout = sp.GetRequiredService<IOptions<GroveClientOptions>>().Value.Timeout);
    }
}
