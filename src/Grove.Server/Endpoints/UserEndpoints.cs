using Grove.Identity;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grove.Server.Endpoints;

/// <summary><c>/api/v1/users</c>, <c>/groups</c>, <c>/keys</c>: the identity service over HTTP.</summary>
internal static class UserEndpoints
{
    private const int SmallBody = 64 * 1024;

    public static void Map(IEndpointRouteBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("users");
        users.MapGet("/", async (HttpContext ctx, IdentityService identity) =>
            JsonOut.Value(await identity.ListUsersAsync(ctx.Caller(), ctx.RequestAborted)));

        users.MapPost("/", async (HttpContext ctx, IdentityService identity) =>
        {
            using var body = await JsonBody.ReadAsync(ctx, SmallBody);
            var e = body.RootElement;
            var created = await identity.CreateUserAsync(ctx.Caller(), JsonBody.RequiredString(e, "name"),
                JsonBody.RequiredString(e, "password"), JsonBody.Strings(e, "groups"), JsonBody.Bool(e, "admin", false), ctx.RequestAborted);
            return JsonOut.Value(created, StatusCodes.Status201Created);
        });

        users.MapDelete("/{name}", async (string name, HttpContext ctx, IdentityService identity) =>
        {
            await identity.DeleteUserAsync(ctx.Caller(), name, ctx.RequestAborted);
            return Results.NoContent();
        });

        users.MapPost("/{name}/password", async (string name, HttpContext ctx, IdentityService identity) =>
        {
            using var body = await JsonBody.ReadAsync(ctx, SmallBody);
            var e = body.RootElement;
            await identity.ChangePasswordAsync(ctx.Caller(), name, JsonBody.String(e, "old"), JsonBody.RequiredString(e, "password"), ctx.RequestAborted);
            return Results.NoContent();
        });

        var groups = api.MapGroup("/groups").WithTags("users");
        groups.MapGet("/", async (HttpContext ctx, IdentityService identity) =>
            JsonOut.Value(await identity.ListGroupsAsync(ctx.Caller(), ctx.RequestAborted)));

        groups.MapPost("/", async (HttpContext ctx, IdentityService identity) =>
        {
            using var body = await JsonBody.ReadAsync(ctx, SmallBody);
            var e = body.RootElement;
            var created = await identity.CreateGroupAsync(ctx.Caller(), JsonBody.RequiredString(e, "name"), JsonBody.Strings(e, "members"), ctx.RequestAborted);
            return JsonOut.Value(created, StatusCodes.Status201Created);
        });

        groups.MapDelete("/{name}", async (string name, HttpContext ctx, IdentityService identity) =>
        {
            await identity.DeleteGroupAsync(ctx.Caller(), name, ctx.RequestAborted);
            return Results.NoContent();
        });

        var keys = api.MapGroup("/keys").WithTags("users");
        keys.MapGet("/", async (HttpContext ctx, IdentityService identity) =>
            JsonOut.Value(await identity.ListApiKeysAsync(ctx.Caller(), ctx.RequestAborted)));

        keys.MapPost("/", async (HttpContext ctx, IdentityService identity) =>
        {
            using var body = await JsonBody.ReadAsync(ctx, SmallBody);
            var e = body.RootElement;
            var created = await identity.CreateApiKeyAsync(ctx.Caller(), JsonBody.RequiredString(e, "name"), JsonBody.Long(e, "expiresAt"), ctx.RequestAborted);
            return JsonOut.Value(created, StatusCodes.Status201Created);
        });

        keys.MapDelete("/{id}", async (string id, HttpContext ctx, IdentityService identity) =>
        {
            await identity.DeleteApiKeyAsync(ctx.Caller(), id, ctx.RequestAborted);
            return Results.NoContent();
        });
    }
}
