using Grove.Hooks;
using Grove.Server.Endpoints.Hooks;
using Grove.Tree;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Modules;

/// <summary>Hooks (section <c>Grove:Hooks</c>): webhooks and queue pushes on committed changes, delivered in the background.</summary>
public sealed class HooksModule : StoreEngineModule<HookService>
{
    /// <inheritdoc/>
    public override string Name => "hooks";

    /// <summary>The open hook engine; <c>unavailable</c> (503) until the store is reached.</summary>
    public HookService Hooks => Engine;

    /// <inheritdoc/>
    protected override string What => "hooks";

    /// <inheritdoc/>
    public override IReadOnlyList<ConsolePage> ConsolePages { get; } = [new("hooks", "Hooks", AdminOnly: true)];

    /// <inheritdoc/>
    public override void Map(IEndpointRouteBuilder app, RouteGroupBuilder api) => HookEndpoints.Map(api, Options);

    /// <inheritdoc/>
    protected override Func<TreeService, CancellationToken, Task<HookService>> Opener(ModuleContext context)
    {
        var queues = context.Get<QueuesModule>();
        return (tree, ct) => HookService.OpenAsync(tree, queues.Queues, context.Options.Hooks, ct: ct);
    }
}
