using System.CommandLine;
using Grove.Cli.Output;
using Grove.Tree;

namespace Grove.Cli.Commands;

/// <summary><c>grove rm &lt;path&gt; [-r]</c>: deletes an object; a directory with children needs <c>-r</c>.</summary>
internal static class RmCommand
{
    public static Command Create(CliApp app)
    {
        var path = new Argument<string>("path") { Description = "The object to delete." };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Delete a directory with everything in it." };
        var command = new Command("rm", "Delete a file or directory.") { path, recursive };
        app.SetAction(command, async (s, r, ct) =>
        {
            var target = TreeNames.Normalize(TreePaths.Of(r.GetValue(path)!));
            await using var backend = await s.OpenAsync(ct);
            await backend.DeleteAsync(target, r.GetValue(recursive), ct);
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("deleted", target);
                    w.WriteEndObject();
                });
            }
            else
            {
                s.Out.WriteLine("removed " + TerminalText.Clean(target));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
