using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Modules;

/// <summary>
/// A service the server composes (tree, identity, config, logs…), each the same way: <see cref="GroveServer"/> calls
/// <see cref="AddServices"/> while the host is built, <see cref="OpenAsync"/> (in module order) once it is, then
/// <see cref="Map"/>; it asks every module for its <see cref="Health"/> on <c>/readyz</c>, serves its
/// <see cref="ConsolePages"/> in the console's navigation, and disposes modules in reverse order. A module's settings
/// are the section <c>Grove:&lt;Section&gt;</c> (a property of <see cref="GroveServerOptions"/> of the same name).
/// </summary>
public interface IGroveModule : IAsyncDisposable
{
    /// <summary>The module's name (<c>tree</c>, <c>identity</c>, <c>config</c>, <c>logs</c>), for messages and <c>/readyz</c>.</summary>
    string Name { get; }

    /// <summary>Registers what the module's endpoints resolve (its engine, access rules, hubs); engines resolve once opened.</summary>
    void AddServices(IServiceCollection services);

    /// <summary>Opens the module's engine; earlier modules are open (<see cref="ModuleContext.Get{T}"/>).</summary>
    Task OpenAsync(ModuleContext context, CancellationToken ct);

    /// <summary>Maps the module's routes: <paramref name="app"/> for protocol roots (<c>/nacos/…</c>), <paramref name="api"/> for <c>/api/v1</c>.</summary>
    void Map(IEndpointRouteBuilder app, RouteGroupBuilder api);

    /// <summary>The console pages the module brings (each a folder <c>wwwroot/js/&lt;id&gt;/</c> with a <c>page.js</c>).</summary>
    IReadOnlyList<ConsolePage> ConsolePages { get; }

    /// <summary>Whether the module can serve now; checked by <c>/readyz</c>.</summary>
    Task<ModuleHealth> Health(CancellationToken ct);
}

/// <summary>A console page: its id (the address <c>#/id</c> and the folder <c>js/id/</c>), its label, and whether only admins see it.</summary>
/// <param name="Id">Lower-case letters, digits and dashes.</param>
/// <param name="Title">The navigation label.</param>
/// <param name="AdminOnly">Shown to admins only.</param>
public sealed record ConsolePage(string Id, string Title, bool AdminOnly = false);

/// <summary>A module's answer to <c>/readyz</c>.</summary>
/// <param name="Ready">Whether it can serve.</param>
/// <param name="Detail">Why not, or what it is serving from.</param>
public sealed record ModuleHealth(bool Ready, string Detail)
{
    /// <summary>Ready, nothing to say.</summary>
    public static ModuleHealth Ok { get; } = new(true, "ok");
}
