using System.CommandLine;
using Grove.Cli.Output;

namespace Grove.Cli.Commands;

/// <summary><c>grove cat &lt;path&gt;</c>: a file's content on stdout, byte for byte.</summary>
internal static class CatCommand
{
    public static Command Create(CliApp app)
    {
        var path = new Argument<string>("path") { Description = "The tree file." };
        var command = new Command("cat", "Print a file's content to stdout.") { path };
        app.SetAction(command, async (s, r, ct) =>
        {
            await using var backend = await s.OpenAsync(ct);
            await using var content = await backend.OpenReadAsync(TreePaths.Of(r.GetValue(path)!), ct);
            await BinaryOutput.CopyAsync(content, s.Out, ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
