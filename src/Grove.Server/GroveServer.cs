using Grove.Config;
using Grove.Identity;
using Grove.Logs;
using Grove.Server.Endpoints;
using Grove.Server.Endpoints.Config;
using Grove.Server.Endpoints.Logs;
using Grove.Server.Internal;
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
/// The Grove server, embeddable: <see cref="StartAsync"/> opens the store, starts Kestrel and returns once it listens.
/// Tests, benchmarks, <c>grove serve</c> and <c>dotnet run --project src/Grove.Server</c> all start this same type.
/// </summary>
public sealed partial class GroveServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopped;

    private GroveServer(WebApplication app, GroveServerOptions options, TreeService tree, IdentityService identity, ConfigEngine configCenter, LogService logs)
    {
        _app = app;
        Options = options;
        Tree = tree;
        Identity = identity;
        ConfigCenter = configCenter;
        Logs = logs;
        Addresses = [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a))];
    }

    /// <summary>The settings the server runs with.</summary>
    public GroveServerOptions Options { get; }

    /// <summary>The tree the server serves.</summary>
    public TreeService Tree { get; }

    /// <summary>Users, groups, sessions and API keys.</summary>
    public IdentityService Identity { get; }

    /// <summary>The config center engine behind the Diamond, Nacos and <c>/api/v1/config</c> endpoints.</summary>
    public ConfigEngine ConfigCenter { get; }

    /// <summary>The task logs (docs/logs.md), over <see cref="Tree"/>.</summary>
    public LogService Logs { get; }

    /// <summary>The addresses Kestrel listens on (with the real port when 0 was asked for).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The first listening address.</summary>
    public Uri Address => Addresses[0];

    /// <summary>The generated <c>admin</c> password when this start created the user; show it once.</summary>
    public string? BootstrapPassword => Identity.BootstrapPassword;

    /// <summary>The server's services (for embedding code and tests).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Opens the store, creates the <c>admin</c> user on a first start, and starts listening. <paramref name="configuration"/>
    /// supplies logging settings (and anything else ASP.NET reads); without it, only warnings are logged.
    /// </summary>
    public static async Task<GroveServer> StartAsync(GroveServerOptions options, IConfiguration? configuration = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tree = await TreeService.OpenAsync(new TreeOptions
        {
            DataPath = options.Data,
            Store = options.Store,
            InlineThreshold = options.InlineThreshold,
            Time = options.Time,
        }, ct);
        IdentityService? identity = null;
        ConfigEngine? configCenter = null;
        LogService? logs = null;
        WebApplication? app = null;
        try
        {
            identity = await IdentityService.OpenAsync(tree, new IdentityOptions
            {
                AdminPassword = options.AdminPassword,
                TokenLifetime = options.TokenLifetime,
                PasswordIterations = options.PasswordIterations,
                MaxFailedLogins = options.MaxFailedLogins,
                FailureWindow = options.LoginFailureWindow,
                Time = options.Time,
            }, ct);
            logs = await LogEndpoints.OpenAsync(tree, options, ct);
            app = Build(options, configuration, tree, identity, () => configCenter!, logs);
            configCenter = await ConfigCenterSetup.OpenAsync(tree, options, app.Services, ct);
            await app.StartAsync(ct);
            return new GroveServer(app, options, tree, identity, configCenter, logs);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            if (configCenter is not null)
            {
                await configCenter.DisposeAsync();
            }

            if (logs is not null)
            {
                await logs.DisposeAsync();
            }

            if (identity is not null)
            {
                await identity.DisposeAsync();
            }

            await tree.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops listening, lets requests in flight finish (up to the shutdown timeout), then closes the store.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            await _app.StopAsync(ct);
        }
        finally
        {
            await _app.DisposeAsync();
            await ConfigCenter.DisposeAsync();
            await Logs.DisposeAsync();
            await Identity.DisposeAsync();
            await Tree.DisposeAsync();
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

    private static WebApplication Build(GroveServerOptions options, IConfiguration? configuration, TreeService tree, IdentityService identity, Func<ConfigEngine> configCenter, LogService logs)
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

        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxUploadBytes;
            k.Limits.MaxRequestHeadersTotalSize = Math.Max(64 * 1024, options.MaxHeaderBytes * 2);
        });
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(tree);
        builder.Services.AddSingleton(identity);
        builder.Services.AddSingleton(logs);
        builder.Services.AddSingleton(new Guard(tree));
        ConfigCenterSetup.AddServices(builder.Services, configCenter);
        builder.Services.AddRateLimiter(o => RateLimits.Configure(o, options));
        builder.Services.AddOpenApi();

        var app = builder.Build();
        app.UseMiddleware<ErrorMiddleware>();
        app.UseMiddleware<HeaderLimitMiddleware>();
        if (options.LogRequests)
        {
            app.UseMiddleware<RequestLogMiddleware>();
        }

        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = ConsoleFiles.PrepareResponse });
        app.UseMiddleware<AuthMiddleware>();
        app.UseRateLimiter();
        app.MapOpenApi();
        HealthEndpoints.Map(app);
        var api = app.MapGroup("/api/v1");
        AuthEndpoints.Map(api);
        UserEndpoints.Map(api);
        TreeReadEndpoints.Map(api, options);
        TreeWriteEndpoints.Map(api, options);
        AdminEndpoints.Map(api, options);
        ConfigCenterSetup.Map(app, api);
        LogEndpoints.Map(api, options);
        return app;
    }
}
