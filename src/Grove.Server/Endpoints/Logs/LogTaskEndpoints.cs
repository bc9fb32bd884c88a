using Grove.Identity;
using Grove.Logs;
using Grove.Server.Internal;
using Grove.Tree;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Logs;

/// <summary>Tasks: create, list, get, heartbeat, finish, delete.</summary>
internal static class LogTaskEndpoints
{
    public static void Map(RouteGroupBuilder logs, GroveServerOptions options)
    {
        logs.MapPost("", async (HttpContext ctx, LogService engine, TreeAccess guard) =>
        {
            var mode = await LogAccess.RequireCreateAsync(ctx, engine, guard);
            using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
            var name = JsonBody.String(body.RootElement, "name") ?? throw new LogException(LogErrorCode.InvalidArgument, "'name' is required");
            var labels = JsonBody.Strings(body.RootElement, "labels");
            var task = await engine.CreateAsync(name, new LogCreateOptions { Labels = labels, Owner = ctx.Caller().User, Mode = mode }, ctx.RequestAborted);
            ctx.Response.Headers.Location = "/api/v1/logs/" + task.Id;
            return JsonOut.Write(w => LogJson.WriteTask(w, task), StatusCodes.Status201Created);
        }).WithSummary("Create a running task: {\"name\":\"build 42\",\"labels\":[\"ci\"]} → 201 + task.");

        logs.MapGet("", async (HttpContext ctx, LogService engine, TreeService tree, TreeAccess guard) =>
        {
            var query = new LogTaskQuery
            {
                Status = ParseStatus(QueryArgs.String(ctx.Request, "status"), allowRunning: true),
                Name = QueryArgs.String(ctx.Request, "name"),
                Labels = ctx.Request.Query["label"].Where(l => !string.IsNullOrEmpty(l)).Select(l => l!).ToList() is { Count: > 0 } l ? l : null,
                Limit = QueryArgs.Int(ctx.Request, "limit", 100, 1, 1000),
                After = QueryArgs.String(ctx.Request, "after"),
            };
            var p = ctx.Caller();
            var page = await engine.ListAsync(query, ctx.RequestAborted);
            var visible = new List<LogTask>(page.Items.Count);
            foreach (var task in page.Items)
            {
                if (await LogAccess.CanReadAsync(p, tree, guard, task, ctx.RequestAborted))
                {
                    visible.Add(task);
                }
            }

            return JsonOut.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("items");
                foreach (var task in visible)
                {
                    LogJson.WriteTask(w, task);
                }

                w.WriteEndArray();
                if (page.Next is null)
                {
                    w.WriteNull("next");
                }
                else
                {
                    w.WriteString("next", page.Next);
                }

                w.WriteEndObject();
            });
        }).WithSummary("Tasks newest first: status, name (substring), label (repeatable), limit (1-1,000), after; tasks the caller may not read are left out.");

        logs.MapGet("/{id}", async (string id, HttpContext ctx, LogService engine, TreeAccess guard) =>
        {
            await LogAccess.RequireAsync(ctx, engine, guard, id, Access.Read);
            var task = await engine.GetAsync(id, ctx.RequestAborted);
            return JsonOut.Write(w => LogJson.WriteTask(w, task));
        }).WithSummary("A task and the state of its log.");

        logs.MapPost("/{id}/heartbeat", async (string id, HttpContext ctx, LogService engine, TreeAccess guard) =>
        {
            await LogAccess.RequireAsync(ctx, engine, guard, id, Access.Write);
            await engine.HeartbeatAsync(id, ctx.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Keep a running task alive without lines (resets its idle timeout).");

        logs.MapPost("/{id}/finish", async (string id, HttpContext ctx, LogService engine, TreeAccess guard) =>
        {
            await LogAccess.RequireAsync(ctx, engine, guard, id, Access.Write);
            using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
            var status = ParseStatus(JsonBody.String(body.RootElement, "status"), allowRunning: false)
                ?? throw new LogException(LogErrorCode.InvalidArgument, "'status' is required: succeeded, failed, canceled or abandoned");
            var exit = JsonBody.Long(body.RootElement, "exitCode");
            if (exit is < int.MinValue or > int.MaxValue)
            {
                throw new LogException(LogErrorCode.InvalidArgument, "'exitCode' must be a 32-bit integer");
            }

            var task = await engine.FinishAsync(id, status, (int?)exit, ctx.RequestAborted);
            return JsonOut.Write(w => LogJson.WriteTask(w, task));
        }).WithSummary("Finish a task: {\"status\":\"succeeded\",\"exitCode\":0}; no line is accepted after, and its log is archived.");

        logs.MapDelete("/{id}", async (string id, HttpContext ctx, LogService engine, TreeAccess guard) =>
        {
            await LogAccess.RequireAsync(ctx, engine, guard, id, Access.Write);
            await engine.DeleteAsync(id, ctx.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Delete a task, its live lines and its archive.");
    }

    private static LogTaskStatus? ParseStatus(string? text, bool allowRunning)
    {
        if (text is null)
        {
            return null;
        }

        return text switch
        {
            "running" when allowRunning => LogTaskStatus.Running,
            "succeeded" => LogTaskStatus.Succeeded,
            "failed" => LogTaskStatus.Failed,
            "canceled" => LogTaskStatus.Canceled,
            "abandoned" => LogTaskStatus.Abandoned,
            _ => throw new LogException(LogErrorCode.InvalidArgument,
                $"unknown status '{(text.Length > 40 ? text[..40] : text)}': use {(allowRunning ? "running, " : "")}succeeded, failed, canceled or abandoned"),
        };
    }
}
