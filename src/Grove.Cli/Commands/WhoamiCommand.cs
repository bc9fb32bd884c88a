using System.CommandLine;
using Grove.Cli.Backend;
using Grove.Cli.Output;

namespace Grove.Cli.Commands;

/// <summary><c>grove whoami --server URL</c>: the user the stored token (or <c>GROVE_TOKEN</c>) belongs to.</summary>
internal static class WhoamiCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("whoami", "Show who you are signed in as on a Grove server.");
        app.SetAction(command, async (s, _, ct) =>
        {
            using var client = BackendFactory.OpenClient(s.RequireServer("whoami"), s.Host);
            var me = await client.MeAsync(ct);
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("user", me.User);
                    w.WriteStartArray("groups");
                    foreach (var g in me.Groups)
                    {
                        w.WriteStringValue(g);
                    }

                    w.WriteEndArray();
                    w.WriteBoolean("admin", me.IsAdmin);
                    w.WriteEndObject();
                });
            }
            else
            {
                var groups = me.Groups.Count == 0 ? "-" : string.Join(", ", me.Groups);
                s.Out.WriteLine(TerminalText.Clean($"{me.User}  groups: {groups}{(me.IsAdmin ? "  (admin)" : "")}"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
