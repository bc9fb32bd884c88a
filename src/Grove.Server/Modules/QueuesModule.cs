using Grove.Queues;
using Grove.Server.Endpoints.Queues;
using Grove.Tree;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Modules;

/// <summary>Queue mounts (section <c>Grove:Queues</c>): push, pop, ack, nack, listing and depths.</summary>
public sealed class QueuesModule : StoreEngineModule<QueueService>
{
    /// <inheritdoc/>
    public override string Name => "queues";

    /// <summary>The open queue engine; <c>unavailable</c> (503) until the store is reached.</summary>
    public QueueService Queues => Engine;

    /// <inheritdoc/>
    protected override string What => "queues";

    /// <inheritdoc/>
    public override IReadOnlyList<ConsolePage> ConsolePages { get; } = [new("queues", "Queues")];

    /// <inheritdoc/>
    public override void Map(IEndpointRouteBuilder app, RouteGroupBuilder api) => QueueEndpoints.Map(api, Options);

    /// <inheritdoc/>
    protected override Func<TreeService, CancellationToken, Task<QueueService>> Opener(ModuleContext context) =>
        (tree, ct) => QueueService.OpenAsync(tree, context.Options.Queues, ct);
}
