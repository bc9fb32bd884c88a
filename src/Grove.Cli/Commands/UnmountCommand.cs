using System.CommandLine;

namespace Grove.Cli.Commands;

/// <summary><c>grove unmount &lt;path&gt;</c>: removes a directory's mount (a file mount's files stay on disk).</summary>
internal static class UnmountCommand
{
    public static Command Create(CliApp app)
    {
        var path = new Argument<string>("path") { Description = "The mount point." };
        var command = new Command("unmount", "Remove a directory's mount.") { path };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var backend = await s.OpenAsync(ct);
            var dir = await backend.UnmountAsync(TreePaths.Of(r.GetValue(path)!), ct);
            s.WriteResult(dir, $"unmounted {dir.Path}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
