using Grove.Records;
using Grove.Server.Endpoints.Records;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Modules;

/// <summary>Record sets (section <c>Grove:Records</c>; docs/records.md): define, rows, bulk, find, rotate, stats.</summary>
public sealed class RecordsModule : IGroveModule
{
    private volatile RecordService? _records;
    private GroveServerOptions _options = new();

    /// <inheritdoc/>
    public string Name => "records";

    /// <summary>The open records engine; <c>unavailable</c> (503) until the store is reached.</summary>
    public RecordService Records => _records ?? throw new ServerException(ErrorMap.Unavailable, "records are not available until the store is reached; try again")
    {
        RetryAfter = TimeSpan.FromSeconds(2),
    };

    /// <inheritdoc/>
    public IReadOnlyList<ConsolePage> ConsolePages { get; } = [];

    /// <inheritdoc/>
    public void AddServices(IServiceCollection services) => services.AddSingleton(_ => Records);

    /// <inheritdoc/>
    public async Task OpenAsync(ModuleContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        _options = context.Options;
        await context.Get<TreeModule>().WhenAttachedAsync(async tree => _records = await RecordEndpoints.OpenAsync(tree, context.Options, ct));
    }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder api) => RecordEndpoints.Map(api, _options);

    /// <inheritdoc/>
    public Task<ModuleHealth> Health(CancellationToken ct) =>
        Task.FromResult(_records is null ? new ModuleHealth(false, "waiting for the store") : ModuleHealth.Ok);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_records is not null)
        {
            await _records.DisposeAsync();
        }
    }
}
