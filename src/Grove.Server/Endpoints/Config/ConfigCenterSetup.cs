using Grove.Config;
using Grove.Server.Internal.Config;
using Grove.Tree;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grove.Server.Endpoints.Config;

/// <summary>The config center in the server: its engine over the server's tree, its services, and its endpoint groups.</summary>
internal static class ConfigCenterSetup
{
    /// <summary>Opens the engine with the server's settings (<see cref="ConfigServerOptions"/>), logging through the server's loggers.</summary>
    public static Task<ConfigEngine> OpenAsync(TreeService tree, GroveServerOptions options, ILoggerFactory loggers, CancellationToken ct) =>
        ConfigEngine.OpenAsync(tree, Options(options, loggers), ct);

    /// <summary>
    /// Opens the engine while the store cannot be reached (a node started while PostgreSQL is down): it serves the
    /// dump, refuses writes, and attaches to the tree as soon as <paramref name="tree"/> has one.
    /// </summary>
    public static Task<ConfigEngine> OpenWithoutStoreAsync(Func<TreeService?> tree, GroveServerOptions options, ILoggerFactory loggers, CancellationToken ct) =>
        ConfigEngine.OpenAsync(
            _ => Task.FromResult(tree() ?? throw new TimeoutException("the store has not been reached yet")),
            Options(options, loggers) with { DataPath = options.Data },
            ct);

    private static ConfigOptions Options(GroveServerOptions options, ILoggerFactory loggers)
    {
        var c = options.Config;
        return new ConfigOptions
        {
            MaxContentBytes = c.MaxContentBytes,
            DumpInterval = c.DumpInterval,
            ReconcileInterval = c.ReconcileInterval,
            RequestsPerWindow = c.RequestsPerWindow,
            RequestWindow = c.RequestWindow,
            MaxWaitersPerIp = c.MaxLongPollsPerIp,
            MaxWaiters = c.MaxLongPolls,
            EditorGroup = c.EditorGroup,
            MasterKey = c.MasterKey is { Length: > 0 } key ? ConfigOptions.DecodeMasterKey(key, "Grove:Config:MasterKey") : null,
            MasterKeyFile = c.MasterKeyFile,
            Time = options.Time,
            Logger = loggers.CreateLogger("Grove.Config"),
        };
    }

    /// <summary>The engine (opened after the host is built, before it starts), the access rules and the push hub.</summary>
    public static void AddServices(IServiceCollection services, Func<ConfigEngine> engine)
    {
        services.AddSingleton(_ => engine());
        services.AddSingleton<ConfigAccess>();
        services.AddSingleton<ConfigWatchHub>();
    }

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        // Note that one registration releases every held long poll when the server stops, instead of one per poll.
        var services = app.ServiceProvider;
        services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping.Register(() => services.GetRequiredService<ConfigEngine>().StopHoldingPolls());
        DiamondConfigEndpoints.Map(app);
        DiamondAdminEndpoints.Map(app);
        DiamondLoginEndpoints.Map(app);
        NacosConfigEndpoints.Map(app);
        NacosHistoryEndpoints.Map(app);
        NacosAuthEndpoints.Map(app);
        ConfigApiEndpoints.Map(api);
        ConfigWatchEndpoints.Map(api);
    }
}
