using Grove.Hooks;
using Grove.Server.Endpoints.Hooks;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Modules;

/// <summary>Hooks (section <c>Grove:Hooks</c>): webhooks and queue pushes on committed changes, delivered in the background.</summary>
public sealed class HooksModule : IGroveModule
{
    private volatile HookService? _hooks;
    private GroveServerOptions _options = new();

    /// <inheritdoc/>
    public string Name => "hooks";

    /// <summary>The open hook engine; <c>unavailable</c> (503) until the store is reached.</summary>
    public HookService Hooks => _hooks ?? throw new ServerException(ErrorMap.Unavailable, "hooks are not available until the store is reached; try again")
    {
        RetryAfter = TimeSpan.FromSeconds(2),
    };

    /// <inheritdoc/>
    public IReadOnlyList<ConsolePage> ConsolePages { get; } = [];

    /// <inheritdoc/>
    public void AddServices(IServiceCollection services) => services.AddSingleton(_ => Hooks);

    /// <inheritdoc/>
    public async Task OpenAsync(ModuleContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        _options = context.Options;
        var queues = context.Get<QueuesModule>();
        await context.Get<TreeModule>().WhenAttachedAsync(async tree => _hooks = await HookService.OpenAsync(tree, queues.Queues, context.Options.Hooks, ct: ct));
    }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder api) => HookEndpoints.Map(api, _options);

    /// <inheritdoc/>
    public Task<ModuleHealth> Health(CancellationToken ct) =>
        Task.FromResult(_hooks is null ? new ModuleHealth(false, "waiting for the store") : ModuleHealth.Ok);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_hooks is not null)
        {
            await _hooks.DisposeAsync();
        }
    }
}
