using Grove.Server.Internal;
using Grove.Tree;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Modules;

/// <summary>
/// A module whose engine lives in the tree's store: it opens once the tree is attached (at start, or later when the
/// store was down), answers <c>unavailable</c> (503 with Retry-After) until then, reports readiness from it, and
/// disposes it. Subclasses say how to open the engine and which routes to map.
/// </summary>
/// <typeparam name="TEngine">The engine.</typeparam>
public abstract class StoreEngineModule<TEngine> : IGroveModule
    where TEngine : class, IAsyncDisposable
{
    private volatile TEngine? _engine;

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>The open engine; <c>unavailable</c> (503) until the store is reached.</summary>
    public TEngine Engine => _engine ?? throw new ServerException(ErrorMap.Unavailable, $"{What} are not available until the store is reached; try again")
    {
        RetryAfter = TimeSpan.FromSeconds(2),
    };

    /// <inheritdoc/>
    public virtual IReadOnlyList<ConsolePage> ConsolePages { get; } = [];

    /// <summary>The server's options, known once the module is opened.</summary>
    protected GroveServerOptions Options { get; private set; } = new();

    /// <summary>What the engine serves, in plural, for the 503 message ("task logs").</summary>
    protected abstract string What { get; }

    /// <inheritdoc/>
    public virtual void AddServices(IServiceCollection services) => services.AddSingleton(_ => Engine);

    /// <inheritdoc/>
    public async Task OpenAsync(ModuleContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        Options = context.Options;
        var open = Opener(context);
        await context.Get<TreeModule>().WhenAttachedAsync(async tree => _engine = await open(tree, ct));
    }

    /// <inheritdoc/>
    public abstract void Map(IEndpointRouteBuilder app, RouteGroupBuilder api);

    /// <inheritdoc/>
    public Task<ModuleHealth> Health(CancellationToken ct) =>
        Task.FromResult(_engine is null ? new ModuleHealth(false, "waiting for the store") : ModuleHealth.Ok);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_engine is { } engine)
        {
            await engine.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>How the engine opens over the attached tree, with what the modules before this one provide.</summary>
    protected abstract Func<TreeService, CancellationToken, Task<TEngine>> Opener(ModuleContext context);
}
