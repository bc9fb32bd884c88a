using System.CommandLine;
using Grove.Cli.Output;

namespace Grove.Cli.Commands;

/// <summary><c>grove sweep</c>: removes objects whose expiry (<c>expi</c>) has passed.</summary>
internal static class SweepCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("sweep", "Remove expired objects.");
        app.SetAction(command, async (s, _, ct) =>
        {
            await using var backend = await s.OpenAsync(ct);
            var removed = await backend.SweepExpiredAsync(ct);
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("removed", removed);
                    w.WriteEndObject();
                });
            }
            else
            {
                s.Out.WriteLine($"removed {removed} expired object{(removed == 1 ? "" : "s")}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
