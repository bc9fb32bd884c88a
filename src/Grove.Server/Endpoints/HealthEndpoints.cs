using System.Text;
using Grove.Server.Modules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints;

/// <summary><c>/healthz</c> (the process answers) and <c>/readyz</c> (every module can serve: one line each).</summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).WithTags("health").WithSummary("The process is up.");
        app.MapGet("/readyz", async (IReadOnlyList<IGroveModule> modules, CancellationToken ct) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var text = new StringBuilder();
            var ready = true;
            foreach (var m in modules)
            {
                var health = await m.Health(timeout.Token);
                ready &= health.Ready;
                text.Append(m.Name).Append(": ").Append(health.Ready ? "" : "not ready: ").Append(health.Detail).Append('\n');
            }

            return Results.Text((ready ? "ready\n" : "not ready\n") + text, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).WithTags("health").WithSummary("Every module can serve (the store answers).");
    }
}
