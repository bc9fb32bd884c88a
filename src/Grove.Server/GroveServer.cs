using Grove.Config;
using Grove.Identity;
using Grove.Logs;
using Grove.Server.Endpoints;
using Grove.Server.Internal;
using Grove.Server.Modules;
using Grove.Tree;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grove.Server;

/// <summary>
/// The Grove server, embeddable: <see cref="StartAsync"/> opens the service modules, starts Kestrel and returns once
/// it listens. Tests, benchmarks, <c>grove serve</c> and <c>dotnet run --project src/Grove.Server</c> all start this
/// same type. The server is the list of modules in <see cref="CreateModules"/> over one HTTP pipeline.
/// </summary>
public sealed partial class GroveServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyList<IGroveModule> _modules;
    private int _stopped;

    private GroveServer(WebApplication app, GroveServerOptions options, IReadOnlyList<IGroveModule> modules)
    {
        _app = app;
        _modules = modules;
        Options = options;
        Addresses = [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a))];
    }

    /// <summary>The service modules, in the order they were opened.</summary>
    public static IGroveModule[] CreateModules() =>
    [
        new TreeModule(),
        new IdentityModule(),
        new ConfigModule(),
        new LogsModule(),
        new RecordsModule(),
        new MessagesModule(),
        new QueuesModule(),
        new HooksModule(),
    ];

    /// <summary>The settings the server runs with.</summary>
    public GroveServerOptions Options { get; }

    /// <summary>The modules the server is composed of.</summary>
    public IReadOnlyList<IGroveModule> Modules => _modules;

    /// <summary>The tree the server serves.</summary>
    public TreeService Tree => Module<TreeModule>().Tree;

    /// <summary>Users, groups, sessions and API keys.</summary>
    public IdentityService Identity => Module<IdentityModule>().Identity;

    /// <summary>The config center engine behind the Diamond, Nacos and <c>/api/v1/config</c> endpoints.</summary>
    public ConfigEngine ConfigCenter => Module<ConfigModule>().Engine;

    /// <summary>The task logs (docs/logs.md), over <see cref="Tree"/>.</summary>
    public LogService Logs => Module<LogsModule>().Logs;

    /// <summary>The records engine (docs/records.md), over <see cref="Tree"/>.</summary>
    public Grove.Records.RecordService Records => Module<RecordsModule>().Records;

    /// <summary>The addresses Kestrel listens on (with the real port when 0 was asked for).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The first listening address.</summary>
    public Uri Address => Addresses[0];

    /// <summary>The generated <c>admin</c> password when this start created the user; show it once.</summary>
    public string? BootstrapPassword => Module<IdentityModule>().Current?.BootstrapPassword;

    /// <summary>The server's services (for embedding code and tests).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The module of type <typeparamref name="T"/>.</summary>
    public T Module<T>()
        where T : IGroveModule => _modules.OfType<T>().First();

    /// <summary>
    /// Opens the modules (the tree first, creating the <c>admin</c> user on a first start) and starts listening.
    /// <paramref name="configuration"/> supplies logging settings and provider settings (and anything else ASP.NET
    /// reads); without it, only warnings are logged. <paramref name="modules"/> replaces <see cref="CreateModules"/>.
    /// </summary>
    public static async Task<GroveServer> StartAsync(GroveServerOptions options, IConfiguration? configuration = null, CancellationToken ct = default, IReadOnlyList<IGroveModule>? modules = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        modules ??= CreateModules();
        var app = Build(options, configuration, modules);
        var opened = new List<IGroveModule>();
        try
        {
            var context = new ModuleContext(options, app.Configuration, app.Services, app.Services.GetRequiredService<ILoggerFactory>());
            foreach (var module in modules)
            {
                opened.Add(module);
                await module.OpenAsync(context, ct);
                context.Opened(module);
            }

            var api = app.MapGroup("/api/v1");
            foreach (var module in modules)
            {
                module.Map(app, api);
            }

            await app.StartAsync(ct);
            app.Services.GetRequiredService<IdleTrimmer>().Start(() => modules.OfType<TreeModule>().FirstOrDefault()?.Current, context.Loggers.CreateLogger<GroveServer>());
            return new GroveServer(app, options, modules);
        }
        catch
        {
            await DisposeAsync(opened);
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops listening, lets requests in flight finish (up to the shutdown timeout), then closes the modules in reverse order.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            await _app.Services.GetRequiredService<IdleTrimmer>().DisposeAsync();
            await _app.StopAsync(ct);
        }
        finally
        {
            // Note that modules close first, in reverse order (an engine may still write to the tree as it closes); the
            // container's own disposal of what it resolved is then a no-op.
            await DisposeAsync(_modules);
            await _app.DisposeAsync();
        }
    }

    /// <summary>Completes when the host is asked to stop (Ctrl+C, SIGTERM) and has stopped.</summary>
    public async Task WaitForShutdownAsync(CancellationToken ct = default)
    {
        await _app.WaitForShutdownAsync(ct);
        await StopAsync(CancellationToken.None);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();

    private static async Task DisposeAsync(IReadOnlyList<IGroveModule> modules)
    {
        for (var i = modules.Count - 1; i >= 0; i--)
        {
            await modules[i].DisposeAsync();
        }
    }

    private static WebApplication Build(GroveServerOptions options, IConfiguration? configuration, IReadOnlyList<IGroveModule> modules)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
            Args = [],
        });
        // Note that the server's settings come from options only; a writable empty source takes the host's own keys.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        if (configuration is not null)
        {
            builder.Configuration.AddConfiguration(configuration);
        }
        else
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }

        // Note that while this category may log, the host opens a log scope and a trace activity for every request, which
        // costs a cached get a tenth of its time; it only logs request starts and ends (Grove:LogRequests does that) and
        // failures that Kestrel logs too.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        if (options.LoggerProvider is { } loggerProvider)
        {
            builder.Logging.AddProvider(loggerProvider);
        }

        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxUploadBytes;
            // Note that Kestrel answers its own limits with an empty body: they sit above the middleware's, which answer
            // with a problem.
            k.Limits.MaxRequestHeadersTotalSize = Math.Max(256 * 1024, options.MaxHeaderBytes * 4);
            k.Limits.MaxRequestHeaderCount = RequestShapeMiddleware.MaxHeaderCount * 4;
            k.Limits.MaxRequestLineSize = RequestShapeMiddleware.MaxTargetChars * 8;
        });
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(modules);
        builder.Services.AddSingleton(new IdleTrimmer(options));
        foreach (var module in modules)
        {
            module.AddServices(builder.Services);
        }

        builder.Services.AddRateLimiter(o => RateLimits.Configure(o, options));
        builder.Services.AddOpenApi();

        var app = builder.Build();
        var trimmer = app.Services.GetRequiredService<IdleTrimmer>();
        app.Use((ctx, next) =>
        {
            trimmer.Touch();
            return next(ctx);
        });
        app.UseMiddleware<ErrorMiddleware>();
        app.UseMiddleware<RequestShapeMiddleware>();
        app.UseMiddleware<HeaderLimitMiddleware>();
        if (options.LogRequests)
        {
            app.UseMiddleware<RequestLogMiddleware>();
        }

        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = ConsoleFiles.PrepareResponse });
        app.UseMiddleware<AuthMiddleware>();
        if (options.RateLimitPerSecond > 0)
        {
            // Note that with limits off the limiter would still look up a no-op partition for every request.
            app.UseRateLimiter();
        }

        app.MapOpenApi();
        HealthEndpoints.Map(app);
        ConsolePagesEndpoint.Map(app, modules);
        return app;
    }
}
