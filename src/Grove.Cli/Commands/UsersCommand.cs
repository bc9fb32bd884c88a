using System.CommandLine;
using Grove.Cli.Backend;
using Grove.Cli.Output;
using Grove.Cli.Remote;
using Grove.Client;

namespace Grove.Cli.Commands;

/// <summary><c>grove users [list|add|rm]</c>: the server's user accounts (adding and removing needs admin).</summary>
internal static class UsersCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("users", "List, add and remove users on a Grove server.");
        var list = new Command("list", "List the users.");
        app.SetAction(command, ListAsync);
        app.SetAction(list, ListAsync);

        var name = new Argument<string>("name") { Description = "The user name." };
        var groups = new Option<string[]>("--group", "-g") { Description = "A group to put the user in (repeatable).", AllowMultipleArgumentsPerToken = false };
        var admin = new Option<bool>("--admin") { Description = "Make the user an admin." };
        var add = new Command("add", "Add a user (password from $GROVE_NEW_PASSWORD or typed twice).") { name, groups, admin };
        app.SetAction(add, async (s, r, ct) =>
        {
            var user = r.GetValue(name)!;
            using var client = BackendFactory.OpenClient(s.RequireServer("users add"), s.Host);
            var password = Secrets.ReadNew(s.Host, "GROVE_NEW_PASSWORD", $"Password for {user}: ");
            var created = await client.CreateUserAsync(user, password, r.GetValue(groups) ?? [], r.GetValue(admin), ct);
            s.Out.WriteLine(TerminalText.Clean($"added user {created.Name}"));
            return ExitCodes.Ok;
        });

        var removed = new Argument<string>("name") { Description = "The user to remove." };
        var rm = new Command("rm", "Remove a user.") { removed };
        app.SetAction(rm, async (s, r, ct) =>
        {
            using var client = BackendFactory.OpenClient(s.RequireServer("users rm"), s.Host);
            await client.DeleteUserAsync(r.GetValue(removed)!, ct);
            s.Out.WriteLine(TerminalText.Clean($"removed user {r.GetValue(removed)}"));
            return ExitCodes.Ok;
        });

        command.Subcommands.Add(list);
        command.Subcommands.Add(add);
        command.Subcommands.Add(rm);
        return command;
    }

    private static async Task<int> ListAsync(CommandSession s, ParseResult r, CancellationToken ct)
    {
        using var client = BackendFactory.OpenClient(s.RequireServer("users"), s.Host);
        var users = await client.ListUsersAsync(ct);
        if (s.Json)
        {
            JsonText.WriteLine(s.Out, w =>
            {
                w.WriteStartArray();
                foreach (var u in users)
                {
                    Write(w, u);
                }

                w.WriteEndArray();
            });
            return ExitCodes.Ok;
        }

        s.Out.WriteLine($"{"USER",-20}  {"ADMIN",-5}  GROUPS");
        foreach (var u in users)
        {
            s.Out.WriteLine(TerminalText.Clean($"{u.Name,-20}  {(u.IsAdmin ? "yes" : "no"),-5}  {string.Join(", ", u.Groups)}"));
        }

        return ExitCodes.Ok;
    }

    private static void Write(System.Text.Json.Utf8JsonWriter w, GroveUser u)
    {
        w.WriteStartObject();
        w.WriteString("name", u.Name);
        w.WriteStartArray("groups");
        foreach (var g in u.Groups)
        {
            w.WriteStringValue(g);
        }

        w.WriteEndArray();
        w.WriteBoolean("admin", u.IsAdmin);
        w.WriteNumber("created", u.Created.ToUnixTimeMilliseconds());
        w.WriteEndObject();
    }
}
