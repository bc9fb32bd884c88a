using Grove.Queues;
using Grove.Server.Endpoints.Queues;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Modules;

/// <summary>Queue mounts (section <c>Grove:Queues</c>): push, pop, ack, nack, listing and depths.</summary>
public sealed class QueuesModule : IGroveModule
{
    private volatile QueueService? _queues;
    private GroveServerOptions _options = new();

    /// <inheritdoc/>
    public string Name => "queues";

    /// <summary>The open queue engine; <c>unavailable</c> (503) until the store is reached.</summary>
    public QueueService Queues => _queues ?? throw new ServerException(ErrorMap.Unavailable, "queues are not available until the store is reached; try again")
    {
        RetryAfter = TimeSpan.FromSeconds(2),
    };

    /// <inheritdoc/>
    public IReadOnlyList<ConsolePage> ConsolePages { get; } = [];

    /// <inheritdoc/>
    public void AddServices(IServiceCollection services) => services.AddSingleton(_ => Queues);

    /// <inheritdoc/>
    public async Task OpenAsync(ModuleContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        _options = context.Options;
        await context.Get<TreeModule>().WhenAttachedAsync(async tree => _queues = await QueueService.OpenAsync(tree, context.Options.Queues, ct));
    }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder api) => QueueEndpoints.Map(api, _options);

    /// <inheritdoc/>
    public Task<ModuleHealth> Health(CancellationToken ct) =>
        Task.FromResult(_queues is null ? new ModuleHealth(false, "waiting for the store") : ModuleHealth.Ok);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_queues is not null)
        {
            await _queues.DisposeAsync();
        }
    }
}
