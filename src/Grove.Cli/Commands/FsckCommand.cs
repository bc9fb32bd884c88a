using System.CommandLine;
using Grove.Cli.Output;

namespace Grove.Cli.Commands;

/// <summary><c>grove fsck [--repair] [--keep-orphans]</c>: checks content against metadata; exit 1 when inconsistent.</summary>
internal static class FsckCommand
{
    public static Command Create(CliApp app)
    {
        var repair = new Option<bool>("--repair") { Description = "Correct reference counts that disagree with the rows." };
        var keep = new Option<bool>("--keep-orphans") { Description = "Do not remove unreferenced blobs." };
        var command = new Command("fsck", "Check the store; exit 1 when it is not consistent.") { repair, keep };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var backend = await s.OpenAsync(ct);
            var report = await backend.FsckAsync(r.GetValue(repair), removeOrphans: !r.GetValue(keep), ct);
            if (s.Json)
            {
                FsckPrinter.WriteJson(s.Out, report);
            }
            else
            {
                FsckPrinter.WriteHuman(s.Out, report);
            }

            return report.Consistent ? ExitCodes.Ok : ExitCodes.Inconsistent;
        });
        return command;
    }
}
