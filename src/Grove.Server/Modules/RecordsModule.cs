using Grove.Records;
using Grove.Server.Endpoints.Records;
using Grove.Tree;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Modules;

/// <summary>Record sets (section <c>Grove:Records</c>; docs/records.md): define, rows, bulk, find, rotate, stats.</summary>
public sealed class RecordsModule : StoreEngineModule<RecordService>
{
    /// <inheritdoc/>
    public override string Name => "records";

    /// <summary>The open records engine; <c>unavailable</c> (503) until the store is reached.</summary>
    public RecordService Records => Engine;

    /// <inheritdoc/>
    protected override string What => "records";

    /// <inheritdoc/>
    public override IReadOnlyList<ConsolePage> ConsolePages { get; } = [new("records", "Records")];

    /// <inheritdoc/>
    public override void Map(IEndpointRouteBuilder app, RouteGroupBuilder api) => RecordEndpoints.Map(api, Options, () => Records);

    /// <inheritdoc/>
    protected override Func<TreeService, CancellationToken, Task<RecordService>> Opener(ModuleContext context) =>
        (tree, ct) => RecordEndpoints.OpenAsync(tree, context.Options, ct);
}
