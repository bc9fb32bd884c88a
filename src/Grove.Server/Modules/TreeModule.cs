using Grove.Identity;
using Grove.Server.Endpoints;
using Grove.Server.Internal;
using Grove.Tree;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grove.Server.Modules;

/// <summary>
/// The tree: the store every other module keeps its state in, its file and admin routes, the Tree page. When the
/// store cannot be reached at start (PostgreSQL down), the server still starts: the module keeps trying in the
/// background, answers 503 with a Retry-After meanwhile, and tells the modules that wait for it once it is attached.
/// </summary>
public sealed class TreeModule : IGroveModule
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Func<TreeService, Task>> _waiting = [];
    private volatile TreeService? _tree;
    private volatile string? _outage;
    private Task _attach = Task.CompletedTask;
    private GroveServerOptions _options = new();
    private ILogger? _log;

    /// <inheritdoc/>
    public string Name => "tree";

    /// <summary>The open tree; <c>unavailable</c> (503) while the store has not been reached yet.</summary>
    public TreeService Tree => _tree ?? throw new ServerException(ErrorMap.Unavailable, $"the store cannot be reached yet ({_outage}); try again")
    {
        RetryAfter = TimeSpan.FromSeconds(2),
    };

    /// <summary>The open tree, or null while the store has not been reached yet.</summary>
    public TreeService? Current => _tree;

    /// <inheritdoc/>
    public IReadOnlyList<ConsolePage> ConsolePages { get; } = [new("tree", "Tree")];

    /// <inheritdoc/>
    public void AddServices(IServiceCollection services)
    {
        services.AddSingleton(this);
        services.AddSingleton(_ => Tree);
        services.AddSingleton(_ => new GuardedTree(Tree));
        services.AddSingleton(sp => sp.GetRequiredService<GuardedTree>().Access);
    }

    /// <summary>
    /// Runs <paramref name="open"/> with the tree: now when it is open, else once the store is reached. A module that
    /// cannot work without the tree (identity, logs) opens this way.
    /// </summary>
    public Task WhenAttachedAsync(Func<TreeService, Task> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        lock (_waiting)
        {
            if (_tree is null)
            {
                _waiting.Add(open);
                return Task.CompletedTask;
            }
        }

        return open(_tree);
    }

    /// <inheritdoc/>
    public async Task OpenAsync(ModuleContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        _options = context.Options;
        _log = context.Loggers.CreateLogger("Grove.Tree");
        try
        {
            _tree = await OpenTreeAsync(context, ct);
        }
        catch (Exception e) when (IsOutage(e))
        {
            _outage = e.Message;
            _log.LogWarning("the store cannot be reached ({Reason}); serving what needs no store (configs from the dump), answering 503 to the rest, and retrying", e.Message);
            _attach = Task.Run(() => AttachAsync(context, _stop.Token), CancellationToken.None);
        }
    }

    /// <summary>Whether a failure to open means the store cannot be reached now (retry), not that it is misconfigured.</summary>
    public static bool IsOutage(Exception e) =>
        e is System.Data.Common.DbException or System.Net.Sockets.SocketException or TimeoutException
        || (e is IOException && e is not FileNotFoundException and not DirectoryNotFoundException);

    private Task<TreeService> OpenTreeAsync(ModuleContext context, CancellationToken ct) => TreeService.OpenAsync(new TreeOptions
    {
        DataPath = _options.Data,
        Store = _options.Store,
        InlineThreshold = _options.InlineThreshold,
        Storage = _options.Storage ?? GroveStorage.Registry,
        DefaultBucket = _options.DefaultBucket,
        Settings = ProviderSettings.From(context.Configuration),
        Time = _options.Time,
    }, ct);

    private async Task AttachAsync(ModuleContext context, CancellationToken stop)
    {
        var delay = FirstRetry;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, stop);
                var tree = await OpenTreeAsync(context, stop);
                List<Func<TreeService, Task>> waiting;
                lock (_waiting)
                {
                    _tree = tree;
                    waiting = [.. _waiting];
                    _waiting.Clear();
                }

                _log?.LogWarning("the store is reached; the tree is attached");
                foreach (var open in waiting)
                {
                    try
                    {
                        await open(tree);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        _log?.LogError(e, "a module failed to open once the store was reached");
                    }
                }

                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsOutage(e))
            {
                _outage = e.Message;
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
            }
        }
    }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        TreeReadEndpoints.Map(api, _options);
        TreeWriteEndpoints.Map(api, _options);
        AdminEndpoints.Map(api, _options);
        WatchEndpoints.Map(api);
    }

    /// <inheritdoc/>
    public async Task<ModuleHealth> Health(CancellationToken ct)
    {
        if (_tree is not { } tree)
        {
            return new ModuleHealth(false, $"store unreachable since start, retrying: {_outage}");
        }

        try
        {
            await tree.CheckStoreAsync(ct);
            // Note that until the change notifications are heard again other nodes' writes may be missed: not ready.
            return tree.Bus.Connected ? ModuleHealth.Ok : new ModuleHealth(false, "change notifications reconnecting; caches not trusted yet");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new ModuleHealth(false, "store unreachable: " + e.Message);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _attach;
        if (_tree is not null)
        {
            await _tree.DisposeAsync();
        }

        _stop.Dispose();
    }
}
