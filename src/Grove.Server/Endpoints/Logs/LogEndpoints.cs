using Grove.Logs;
using Grove.Tree;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Logs;

/// <summary>The task-log routes under <c>/api/v1/logs</c> (docs/logs.md), one file per concern.</summary>
internal static class LogEndpoints
{
    /// <summary>Opens the log engine over the server's tree and makes sure its folder exists (owned by nobody, 0755).</summary>
    public static async Task<LogService> OpenAsync(TreeService tree, GroveServerOptions options, CancellationToken ct)
    {
        var logs = await LogService.OpenAsync(tree, options.Logs, ct);
        try
        {
            await tree.CreateAsync(logs.Options.Root, ObjectRace.Dir, new CreateOptions { Parents = true, ExistOk = true }, ct);
            return logs;
        }
        catch
        {
            await logs.DisposeAsync();
            throw;
        }
    }

    public static void Map(IEndpointRouteBuilder api, GroveServerOptions options)
    {
        var group = api.MapGroup("/logs").WithTags("logs");
        LogTaskEndpoints.Map(group, options);
        LogAppendEndpoints.Map(group, options);
        LogReadEndpoints.Map(group, options);
        LogFollowEndpoints.Map(group, options);
        LogSearchEndpoints.Map(group);
        LogDownloadEndpoints.Map(group);
    }

    /// <summary>A route that writes its own answer (streams) returns this after writing.</summary>
    public static IResult Written => Results.Empty;
}
