using Grove.Config;
using Grove.Server.Endpoints.Config;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Modules;

/// <summary>The config center (section <c>Grove:Config</c>): Diamond's, Nacos's and Grove's routes, push streams, the Config page.</summary>
public sealed class ConfigModule : IGroveModule
{
    private ConfigEngine? _engine;

    /// <inheritdoc/>
    public string Name => "config";

    /// <summary>The open config engine.</summary>
    public ConfigEngine Engine => _engine ?? throw new InvalidOperationException("the config module is not open");

    /// <inheritdoc/>
    public IReadOnlyList<ConsolePage> ConsolePages { get; } = [new("config", "Config")];

    /// <inheritdoc/>
    public void AddServices(IServiceCollection services) => ConfigCenterSetup.AddServices(services, () => Engine);

    /// <inheritdoc/>
    public async Task OpenAsync(ModuleContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var trees = context.Get<TreeModule>();
        _engine = trees.Current is { } tree
            ? await ConfigCenterSetup.OpenAsync(tree, context.Options, context.Loggers, ct)
            : await ConfigCenterSetup.OpenWithoutStoreAsync(() => trees.Current, context.Options, context.Loggers, ct);
    }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder api) => ConfigCenterSetup.Map(app, api);

    /// <inheritdoc/>
    public Task<ModuleHealth> Health(CancellationToken ct) => Task.FromResult(Engine.IsStoreAvailable
        ? ModuleHealth.Ok
        : new ModuleHealth(false, "serving configs from memory and the dump; writes refused: " + Engine.UnavailableReason));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}
