using Grove.Logs;
using Grove.Server.Endpoints.Logs;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Modules;

/// <summary>Task logs (section <c>Grove:Logs</c>): reporting, reading, following, searching, the Logs page.</summary>
public sealed class LogsModule : IGroveModule
{
    private LogService? _logs;
    private GroveServerOptions _options = new();

    /// <inheritdoc/>
    public string Name => "logs";

    /// <summary>The open log engine.</summary>
    public LogService Logs => _logs ?? throw new InvalidOperationException("the logs module is not open");

    /// <inheritdoc/>
    public IReadOnlyList<ConsolePage> ConsolePages { get; } = [new("logs", "Logs")];

    /// <inheritdoc/>
    public void AddServices(IServiceCollection services) => services.AddSingleton(_ => Logs);

    /// <inheritdoc/>
    public async Task OpenAsync(ModuleContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        _options = context.Options;
        _logs = await LogEndpoints.OpenAsync(context.Get<TreeModule>().Tree, context.Options, ct);
    }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder api) => LogEndpoints.Map(api, _options);

    /// <inheritdoc/>
    public Task<ModuleHealth> Health(CancellationToken ct) => Task.FromResult(ModuleHealth.Ok);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_logs is not null)
        {
            await _logs.DisposeAsync();
        }
    }
}
