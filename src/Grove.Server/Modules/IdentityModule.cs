using Grove.Identity;
using Grove.Server.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Modules;

/// <summary>Users, groups, sessions and API keys (section <c>Grove:Identity</c>), with the sign-in and user routes and the Admin page.</summary>
public sealed class IdentityModule : IGroveModule
{
    private IdentityService? _identity;

    /// <inheritdoc/>
    public string Name => "identity";

    /// <summary>The open identity service.</summary>
    public IdentityService Identity => _identity ?? throw new InvalidOperationException("the identity module is not open");

    /// <inheritdoc/>
    public IReadOnlyList<ConsolePage> ConsolePages { get; } = [new("admin", "Admin", AdminOnly: true)];

    /// <inheritdoc/>
    public void AddServices(IServiceCollection services) => services.AddSingleton(_ => Identity);

    /// <inheritdoc/>
    public async Task OpenAsync(ModuleContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tree = context.Get<TreeModule>().Tree;
        _identity = await IdentityService.OpenAsync(tree, context.Options.Identity with { Time = context.Options.Time }, ct);
    }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        AuthEndpoints.Map(api);
        UserEndpoints.Map(api);
    }

    /// <inheritdoc/>
    public Task<ModuleHealth> Health(CancellationToken ct) => Task.FromResult(ModuleHealth.Ok);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_identity is not null)
        {
            await _identity.DisposeAsync();
        }
    }
}
