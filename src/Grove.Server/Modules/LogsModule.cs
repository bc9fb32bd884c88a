using Grove.Logs;
using Grove.Server.Endpoints.Logs;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Modules;

/// <summary>Task logs (section <c>Grove:Logs</c>): reporting, reading, following, searching, the Logs page.</summary>
public sealed class LogsModule : IGroveModule
{
    private volatile LogService? _logs;
    private GroveServerOptions _options = new();

    /// <inheritdoc/>
    public string Name => "logs";

    /// <summary>The open log engine; <c>unavailable</c> (503) until the store is reached.</summary>
    public LogService Logs => _logs ?? throw new ServerException(ErrorMap.Unavailable, "task logs are not available until the store is reached; try again")
    {
        RetryAfter = TimeSpan.FromSeconds(2),
    };

    /// <inheritdoc/>
    public IReadOnlyList<ConsolePage> ConsolePages { get; } = [new("logs", "Logs")];

    /// <inheritdoc/>
    public void AddServices(IServiceCollection services) => services.AddSingleton(_ => Logs);

    /// <inheritdoc/>
    public async Task OpenAsync(ModuleContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        _options = context.Options;
        await context.Get<TreeModule>().WhenAttachedAsync(async tree => _logs = await LogEndpoints.OpenAsync(tree, context.Options, ct));
    }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder api) => LogEndpoints.Map(api, _options);

    /// <inheritdoc/>
    public Task<ModuleHealth> Health(CancellationToken ct) =>
        Task.FromResult(_logs is null ? new ModuleHealth(false, "waiting for the store") : ModuleHealth.Ok);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_logs is not null)
        {
            await _logs.DisposeAsync();
        }
    }
}
