using System.Text.Json;
using Grove.Hooks;
using Grove.Identity;
using Grove.Server.Internal;
using Grove.Tree;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints.Hooks;

/// <summary>Hooks (admins only; docs/watch-hooks-queues.md): add, list with the last error, remove, test.</summary>
internal static class HookEndpoints
{
    public static void Map(IEndpointRouteBuilder api, GroveServerOptions options)
    {
        var hooks = api.MapGroup("/hooks").WithTags("hooks");

        hooks.MapGet("", async (HttpContext ctx, HookService engine) =>
        {
            TreeAccess.DemandAdmin(ctx.Caller(), "manage hooks");
            var list = await engine.ListAsync(ctx.RequestAborted);
            return JsonOut.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("items");
                foreach (var h in list)
                {
                    Write(w, h, null);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }).WithSummary("Every hook with its progress (revision), failures in a row and last error.");

        hooks.MapPost("", async (HttpContext ctx, HookService engine) =>
        {
            TreeAccess.DemandAdmin(ctx.Caller(), "manage hooks");
            using var body = await JsonBody.ReadAsync(ctx, options.MaxJsonBytes);
            var e = body.RootElement;
            var events = new List<ChangeKind>();
            foreach (var name in JsonBody.Strings(e, "on"))
            {
                events.Add(ChangeJson.Parse(name) ?? throw ServerException.Bad($"'{name}' is not one of create, write, meta, move, delete"));
            }

            var created = await engine.AddAsync(JsonBody.String(e, "path") ?? throw ServerException.Bad("'path' is required"), events,
                JsonBody.String(e, "url"), JsonBody.String(e, "queue"), ctx.RequestAborted);
            return JsonOut.Write(w => Write(w, created.Hook, created.Secret), StatusCodes.Status201Created);
        }).WithSummary("Add a hook: {path, on: [create, write, meta, move, delete], url | queue}; the answer carries the signing secret once.");

        hooks.MapDelete("/{id}", async (string id, HttpContext ctx, HookService engine) =>
        {
            TreeAccess.DemandAdmin(ctx.Caller(), "manage hooks");
            await engine.RemoveAsync(id, ctx.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Remove a hook.");

        hooks.MapPost("/{id}/test", async (string id, HttpContext ctx, HookService engine) =>
        {
            TreeAccess.DemandAdmin(ctx.Caller(), "manage hooks");
            var error = await engine.TestAsync(id, ctx.RequestAborted);
            return JsonOut.Write(w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("delivered", error is null);
                w.WriteString("error", error);
                w.WriteEndObject();
            });
        }).WithSummary("Send a test event (kind meta, revision 0) now; answers whether it was delivered.");
    }

    private static void Write(Utf8JsonWriter w, Hook h, string? secret)
    {
        w.WriteStartObject();
        w.WriteString("id", h.Id);
        w.WriteString("path", h.Path);
        w.WriteStartArray("on");
        foreach (var k in h.Events.Order())
        {
            w.WriteStringValue(ChangeJson.Name(k));
        }

        w.WriteEndArray();
        w.WriteString("url", h.Url);
        w.WriteString("queue", h.Queue);
        w.WriteNumber("revision", h.Revision);
        w.WriteNumber("failures", h.Failures);
        w.WriteString("lastError", h.LastError);
        if (h.LastAttempt is { } a)
        {
            w.WriteNumber("lastAttempt", a);
        }

        if (secret is not null)
        {
            w.WriteString("secret", secret);
        }

        w.WriteEndObject();
    }
}
