using Grove.Config;
using Grove.Identity;
using Grove.Server.Internal;
using Microsoft.AspNetCore.Http;

namespace Grove.Server.Endpoints.Config;

internal static partial class DiamondAdminEndpoints
{
    /// <summary>The user and counter methods. Diamond's users are Grove's users; adding one puts it in the editor group.</summary>
    private static async Task<IResult> UserMethodAsync(Call c, string method)
    {
        var ct = c.Ctx.RequestAborted;
        switch (method)
        {
            case "listUser":
                var users = await c.Identity.ListUsersAsync(c.Caller, ct);
                return JsonOut.Write(w =>
                {
                    w.WriteStartArray();
                    foreach (var u in users)
                    {
                        w.WriteStartObject();
                        w.WriteString("userName", u.Name);
                        w.WriteBoolean("admin", u.IsAdmin);
                        w.WriteStartArray("groups");
                        foreach (var g in u.Groups)
                        {
                            w.WriteStringValue(g);
                        }

                        w.WriteEndArray();
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
            case "addUser":
                var created = await c.Identity.CreateUserAsync(c.Caller, Required(c, "userName"), Required(c, "password"), [c.Access.Options.EditorGroup], admin: false, ct);
                return Message($"added user {created.Name} (group {c.Access.Options.EditorGroup})");
            case "deleteUser":
                var gone = Required(c, "userName");
                await c.Identity.DeleteUserAsync(c.Caller, gone, ct);
                return Message($"deleted user {gone}");
            case "changePassword":
                var name = Required(c, "userName");
                await c.Identity.ChangePasswordAsync(c.Caller, name, c.Args["oldPassword"], Required(c, "password"), ct);
                return Message($"changed the password of {name}");
            case "reloadUser":
                return Message("users are read from the store on every sign-in; nothing to reload");
            case "setRefuseRequestCount":
                TreeAccess.DemandAdmin(c.Caller, "set the request counter");
                var count = c.Args.Int("count", -1, 0, int.MaxValue);
                if (count < 0)
                {
                    throw new ConfigException(ConfigErrorCode.InvalidArgument, "count is required: requests one client may make per window (0 turns the counter off)");
                }

                c.Engine.Limiter.RefuseRequestCount = count;
                return Count(c, "set");
            default:
                return Count(c, null);
        }
    }

    private static string Required(Call c, string name) =>
        c.Args[name] is { Length: > 0 } v ? v : throw new ConfigException(ConfigErrorCode.InvalidArgument, $"{name} is required");

    private static IResult Message(string message) => JsonOut.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("message", message);
        w.WriteEndObject();
    });

    private static IResult Count(Call c, string? message) => JsonOut.Write(w =>
    {
        w.WriteStartObject();
        if (message is not null)
        {
            w.WriteString("message", message);
        }

        w.WriteNumber("count", c.Engine.Limiter.RefuseRequestCount);
        w.WriteNumber("windowSeconds", c.Engine.Limiter.Window.TotalSeconds);
        w.WriteEndObject();
    });
}
