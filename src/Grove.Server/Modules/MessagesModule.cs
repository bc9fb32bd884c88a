using Grove.Messages;
using Grove.Server.Endpoints.Messages;
using Grove.Tree;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SoapCore;

namespace Grove.Server.Modules;

/// <summary>Partner messages (section <c>Grove:Messages</c>): receiving over HTTP, queries, display, printing.</summary>
public sealed class MessagesModule : StoreEngineModule<MessageEngine>
{
    /// <inheritdoc/>
    public override string Name => "messages";

    /// <inheritdoc/>
    protected override string What => "messages";

    /// <inheritdoc/>
    public override IReadOnlyList<ConsolePage> ConsolePages { get; } = [new("messages", "Messages")];

    /// <inheritdoc/>
    public override void AddServices(IServiceCollection services)
    {
        base.AddServices(services);
        services.AddHttpContextAccessor();
        services.AddSoapCore();
        services.AddScoped<MessageSoapService>();
    }

    private const string SoapPath = "/api/v1/messages/soap";

    /// <inheritdoc/>
    public override void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        MessageEndpoints.Map(api, Options.Messages);
        if (Options.Messages.Soap && app is IApplicationBuilder pipeline)
        {
            // Note that the path is under /api so the auth middleware has identified the caller (an API key) first, and
            // that the branch keeps SoapCore's middleware off every other request.
            pipeline.UseWhen(
                ctx => ctx.Request.Path.StartsWithSegments(SoapPath, StringComparison.OrdinalIgnoreCase),
                soap => soap.UseSoapEndpoint<MessageSoapService>(SoapPath, new SoapEncoderOptions(), SoapSerializer.DataContractSerializer));
        }
    }

    /// <inheritdoc/>
    protected override Func<TreeService, CancellationToken, Task<MessageEngine>> Opener(ModuleContext context)
    {
        var config = context.Get<ConfigModule>();
        var records = context.Get<RecordsModule>();
        var o = context.Options.Messages;
        var options = new MessageOptions { MaxBodyBytes = o.MaxBodyBytes, MaxPageSize = o.MaxPageSize, MaxScan = o.MaxScan, Time = context.Options.Time };

        // Note that messages are record sets of the server's one records engine (its hot cache, rotation and bus).
        return (tree, ct) => MessageEngine.OpenAsync(records.Records, config.Engine, options, ct);
    }
}
