using Grove.Tree;
using System.CommandLine;
using Grove.Cli.Output;

namespace Grove.Cli.Commands;

/// <summary><c>grove stat &lt;path|id&gt;</c>: everything about one object, sizes in exact bytes.</summary>
internal static class StatCommand
{
    public static Command Create(CliApp app)
    {
        var target = new Argument<string>("path|id") { Description = "A path, or an id (26 chars of [0-9a-v], or home:refer)." };
        var command = new Command("stat", "Show an object's metadata, by path or by id.") { target };
        app.SetAction(command, async (s, r, ct) =>
        {
            var arg = r.GetValue(target)!;
            await using var backend = await s.OpenAsync(ct);
            var o = TreePaths.IsId(arg)
                ? await backend.GetByIdAsync(arg, ct)
                : await backend.GetAsync(TreePaths.Of(arg), ct);
            if (s.Json)
            {
                JsonText.WriteLine(s.Out, w => ObjectJson.Write(w, o));
            }
            else
            {
                StatPrinter.Write(s.Out, o);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
