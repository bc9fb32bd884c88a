using Grove.Tree;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints;

/// <summary><c>/healthz</c> (the process answers) and <c>/readyz</c> (the store answers too).</summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).WithTags("health").WithSummary("The process is up.");
        app.MapGet("/readyz", async (TreeService trees, CancellationToken ct) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await trees.CheckStoreAsync(timeout.Token);
                return Results.Text("ready");
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return Results.Text("store unreachable: " + e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).WithTags("health").WithSummary("The store can be reached.");
    }
}
