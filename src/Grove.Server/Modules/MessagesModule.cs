using Grove.Messages;
using Grove.Server.Endpoints.Messages;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using SoapCore;
using Microsoft.Extensions.DependencyInjection;

namespace Grove.Server.Modules;

/// <summary>Partner messages (section <c>Grove:Messages</c>): receiving over HTTP, queries, display, printing.</summary>
public sealed class MessagesModule : IGroveModule
{
    private volatile MessageEngine? _engine;
    private GroveServerOptions _options = new();

    /// <inheritdoc/>
    public string Name => "messages";

    /// <summary>The open message engine; <c>unavailable</c> (503) until the store is reached.</summary>
    public MessageEngine Engine => _engine ?? throw new ServerException(ErrorMap.Unavailable, "messages are not available until the store is reached; try again")
    {
        RetryAfter = TimeSpan.FromSeconds(2),
    };

    /// <inheritdoc/>
    public IReadOnlyList<ConsolePage> ConsolePages { get; } = [];

    /// <inheritdoc/>
    public void AddServices(IServiceCollection services)
    {
        services.AddSingleton(_ => Engine);
        services.AddHttpContextAccessor();
        services.AddSoapCore();
        services.AddScoped<MessageSoapService>();
    }

    /// <inheritdoc/>
    public async Task OpenAsync(ModuleContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        _options = context.Options;
        var config = context.Get<ConfigModule>();
        var o = context.Options.Messages;
        var options = new MessageOptions { MaxBodyBytes = o.MaxBodyBytes, MaxPageSize = o.MaxPageSize, MaxBatchPdfMessages = o.MaxBatchPdfMessages, Time = context.Options.Time };
        await context.Get<TreeModule>().WhenAttachedAsync(async tree => _engine = await MessageEngine.OpenAsync(tree, config.Engine, options, ct));
    }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        MessageEndpoints.Map(api, _options.Messages);
        if (_options.Messages.Soap && app is IApplicationBuilder pipeline)
        {
            // Note that the path is under /api so the auth middleware has identified the caller (an API key) first.
            pipeline.UseSoapEndpoint<MessageSoapService>("/api/v1/messages/soap", new SoapEncoderOptions(), SoapSerializer.DataContractSerializer);
        }
    }

    /// <inheritdoc/>
    public Task<ModuleHealth> Health(CancellationToken ct) =>
        Task.FromResult(_engine is null ? new ModuleHealth(false, "waiting for the store") : ModuleHealth.Ok);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}
