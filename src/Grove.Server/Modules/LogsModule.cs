using Grove.Logs;
using Grove.Server.Endpoints.Logs;
using Grove.Tree;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Modules;

/// <summary>Task logs (section <c>Grove:Logs</c>): reporting, reading, following, searching, the Logs page.</summary>
public sealed class LogsModule : StoreEngineModule<LogService>
{
    /// <inheritdoc/>
    public override string Name => "logs";

    /// <summary>The open log engine; <c>unavailable</c> (503) until the store is reached.</summary>
    public LogService Logs => Engine;

    /// <inheritdoc/>
    public override IReadOnlyList<ConsolePage> ConsolePages { get; } = [new("logs", "Logs")];

    /// <inheritdoc/>
    protected override string What => "task logs";

    /// <inheritdoc/>
    public override void Map(IEndpointRouteBuilder app, RouteGroupBuilder api) => LogEndpoints.Map(api, Options);

    /// <inheritdoc/>
    protected override Func<TreeService, CancellationToken, Task<LogService>> Opener(ModuleContext context) =>
        (tree, ct) => LogEndpoints.OpenAsync(tree, context.Options, ct);
}
