using System.CommandLine;
using Grove.Cli.Backend;
using Grove.Cli.Output;

namespace Grove.Cli.Commands;

/// <summary><c>grove init</c>: creates the data folder and its index, and says where.</summary>
internal static class InitCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("init", "Create the data folder and its index (other commands need one).");
        app.SetAction(command, async (s, _, ct) =>
        {
            var settings = s.Settings;
            var probe = await settings.ProbeAsync(ct);
            var existed = probe.UsesDataFolder && !probe.Missing;
            string location;
            await using (var backend = await s.OpenAsync(ct, create: true))
            {
                location = backend.Location;
            }

            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("data", probe.UsesDataFolder ? settings.DataPath : null);
                    w.WriteString("store", settings.StoreName);
                    w.WriteBoolean("created", !existed);
                    w.WriteEndObject();
                });
            }
            else
            {
                s.Out.WriteLine(existed
                    ? $"Grove data already in {location} ({settings.StoreName})"
                    : $"initialized Grove data in {location} ({settings.StoreName})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
