using Grove.Identity;
using Grove.Server.Endpoints;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Modules;

/// <summary>
/// Users, groups, sessions and API keys (section <c>Grove:Identity</c>), with the sign-in and user routes and the Admin
/// page. Users live in the tree, so the module opens once the tree is attached (at start, or later when the store was
/// down at start); until then it answers 503.
/// </summary>
public sealed class IdentityModule : IGroveModule
{
    private volatile IdentityService? _identity;

    /// <inheritdoc/>
    public string Name => "identity";

    /// <summary>The open identity service; <c>unavailable</c> (503) until the store is reached.</summary>
    public IdentityService Identity => _identity ?? throw new ServerException(ErrorMap.Unavailable, "users cannot be checked until the store is reached; try again")
    {
        RetryAfter = TimeSpan.FromSeconds(2),
    };

    /// <summary>The open identity service, or null until the store is reached.</summary>
    public IdentityService? Current => _identity;

    /// <inheritdoc/>
    public IReadOnlyList<ConsolePage> ConsolePages { get; } = [new("admin", "Admin", AdminOnly: true)];

    /// <inheritdoc/>
    public void AddServices(IServiceCollection services)
    {
        services.AddSingleton(this);
        services.AddSingleton(_ => Identity);
    }

    /// <inheritdoc/>
    public Task OpenAsync(ModuleContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options.Identity with { Time = context.Options.Time };
        return context.Get<TreeModule>().WhenAttachedAsync(async tree => _identity = await IdentityService.OpenAsync(tree, options, ct));
    }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        AuthEndpoints.Map(api);
        UserEndpoints.Map(api);
    }

    /// <inheritdoc/>
    public Task<ModuleHealth> Health(CancellationToken ct) =>
        Task.FromResult(_identity is null ? new ModuleHealth(false, "waiting for the store") : ModuleHealth.Ok);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_identity is not null)
        {
            await _identity.DisposeAsync();
        }
    }
}
