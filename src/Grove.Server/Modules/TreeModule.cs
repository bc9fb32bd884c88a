using Grove.Identity;
using Grove.Server.Endpoints;
using Grove.Tree;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Modules;

/// <summary>The tree: the store every other module keeps its state in, its file and admin routes, the Tree page.</summary>
public sealed class TreeModule : IGroveModule
{
    private TreeService? _tree;
    private GroveServerOptions _options = new();

    /// <inheritdoc/>
    public string Name => "tree";

    /// <summary>The open tree.</summary>
    public TreeService Tree => _tree ?? throw new InvalidOperationException("the tree module is not open");

    /// <inheritdoc/>
    public IReadOnlyList<ConsolePage> ConsolePages { get; } = [new("tree", "Tree")];

    /// <inheritdoc/>
    public void AddServices(IServiceCollection services)
    {
        services.AddSingleton(_ => Tree);
        services.AddSingleton(_ => new GuardedTree(Tree));
        services.AddSingleton(sp => sp.GetRequiredService<GuardedTree>().Access);
    }

    /// <inheritdoc/>
    public async Task OpenAsync(ModuleContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        _options = context.Options;
        _tree = await TreeService.OpenAsync(new TreeOptions
        {
            DataPath = _options.Data,
            Store = _options.Store,
            InlineThreshold = _options.InlineThreshold,
            Storage = _options.Storage,
            Settings = ProviderSettings.From(context.Configuration),
            Time = _options.Time,
        }, ct);
    }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        TreeReadEndpoints.Map(api, _options);
        TreeWriteEndpoints.Map(api, _options);
        AdminEndpoints.Map(api, _options);
    }

    /// <inheritdoc/>
    public async Task<ModuleHealth> Health(CancellationToken ct)
    {
        try
        {
            await Tree.CheckStoreAsync(ct);
            return ModuleHealth.Ok;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new ModuleHealth(false, "store unreachable: " + e.Message);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_tree is not null)
        {
            await _tree.DisposeAsync();
        }
    }
}
